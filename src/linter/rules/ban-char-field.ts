import { defineRule } from '../define-rule.js'
import { ident } from '../rule-helpers.js'
import { type NewColumn, newColumnsWhere, replaceTypes } from '../type-text.js'

const isChar = (c: NewColumn): boolean => c.type === 'bpchar'

export const banCharField = defineRule({
  id: 'ban-char-field',
  category: 'style',
  severity: 'warning',
  docs: {
    summary: 'char(n) pads values with spaces; use text or varchar.',
    why: 'character(n) is blank-padded: comparisons, lengths and client code see trailing spaces, and it is no faster than text.',
    safeAlternative: 'text, with a CHECK on the length if it matters.',
    bad: 'CREATE TABLE countries (code char(2));',
    good: 'CREATE TABLE countries (code text CHECK (char_length(code) = 2));',
  },
  check(stmt, ctx) {
    const hits = newColumnsWhere(stmt, isChar)
    if (!hits.length) return
    return {
      message: `${hits.map((c) => ident(c.name)).join(', ')} ${hits.length > 1 ? 'use' : 'uses'} char(n), which pads with spaces; text behaves as expected.`,
      suggestion: replaceTypes(ctx.statement, hits.map((c) => ({ typeName: c.typeName, to: 'text' }))),
    }
  },
})
