/** Text for a JUnit XML attribute or element. XML 1.0 forbids most control characters, even escaped. */
export function xml(text: string): string {
  return text
    .replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
}

export interface JunitCase {
  classname: string
  name: string
  failure?: { message: string; type: string; body: string }
  error?: { message: string; body: string }
}

export function junitCase(c: JunitCase): string {
  const open = `    <testcase classname="${xml(c.classname)}" name="${xml(c.name)}"`
  if (!c.failure && !c.error) return `${open}/>`
  const inner = c.failure
    ? `      <failure message="${xml(c.failure.message)}" type="${xml(c.failure.type)}">${xml(c.failure.body)}</failure>`
    : `      <error message="${xml(c.error!.message)}">${xml(c.error!.body)}</error>`
  return `${open}>\n${inner}\n    </testcase>`
}

export function junitSuite(name: string, cases: JunitCase[]): string {
  const failures = cases.filter((c) => c.failure).length
  const errors = cases.filter((c) => c.error).length
  return `  <testsuite name="${xml(name)}" tests="${cases.length}" failures="${failures}" errors="${errors}">\n${cases.map(junitCase).join('\n')}\n  </testsuite>`
}

export function junitDocument(name: string, suites: Array<{ name: string; cases: JunitCase[] }>): string {
  const all = suites.flatMap((s) => s.cases)
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${xml(name)}" tests="${all.length}" failures="${all.filter((c) => c.failure).length}" errors="${all.filter((c) => c.error).length}">\n${suites.map((s) => junitSuite(s.name, s.cases)).join('\n')}\n</testsuites>\n`
}
