/** The lint report formats. A module of its own, without imports, so the CLI's flag table can list them without loading the reporters. */
export const REPORT_FORMATS = ['pretty', 'json', 'sarif', 'github', 'gitlab', 'markdown', 'junit', 'compact'] as const
export type ReportFormat = (typeof REPORT_FORMATS)[number]
