// Mirrors the server's password rule (docs/api.md, POST /me/password):
// at least 12 characters and at least 3 of the 4 classes upper, lower, digit, symbol.
export const PASSWORD_MIN_LENGTH = 12

export interface PasswordCheck {
  ok: boolean
  length: number
  classes: { upper: boolean; lower: boolean; digit: boolean; symbol: boolean }
  classCount: number
  /** i18n key of the first problem, or null when ok. */
  error: 'password.tooShort' | 'password.tooFewClasses' | null
}

export function checkPassword(pw: string): PasswordCheck {
  const chars = Array.from(pw)
  const classes = { upper: false, lower: false, digit: false, symbol: false }
  for (const c of chars) {
    if (c >= 'A' && c <= 'Z') classes.upper = true
    else if (c >= 'a' && c <= 'z') classes.lower = true
    else if (c >= '0' && c <= '9') classes.digit = true
    else if (!/\s/.test(c)) classes.symbol = true
  }
  const classCount = Object.values(classes).filter(Boolean).length
  let error: PasswordCheck['error'] = null
  if (chars.length < PASSWORD_MIN_LENGTH) error = 'password.tooShort'
  else if (classCount < 3) error = 'password.tooFewClasses'
  return { ok: error === null, length: chars.length, classes, classCount, error }
}

/** 0..4 for a strength meter. */
export function passwordStrength(pw: string): number {
  if (!pw) return 0
  const c = checkPassword(pw)
  if (!c.ok) return c.classCount >= 3 || c.length >= PASSWORD_MIN_LENGTH ? 1 : 0
  return c.classCount === 4 && c.length >= 16 ? 4 : c.classCount === 4 ? 3 : 2
}
