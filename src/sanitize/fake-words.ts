/**
 * The words fakes are made of (first and last names, streets, kinds of street, cities; country codes
 * of two digits), and regexes that recognise a fake, so the leak scan does not take one for an
 * original.
 */
export const TWO_DIGIT_CC = '20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98'
export const FIRST = 'James Mary John Patricia Robert Jennifer Michael Linda David Elizabeth William Barbara Richard Susan Joseph Jessica Thomas Sarah Charles Karen Daniel Lisa Matthew Nancy Anthony Betty Mark Sandra Paul Ashley Steven Kimberly Andrew Emily Joshua Donna Kevin Michelle Brian Carol George Amanda Timothy Melissa Ronald Deborah Jason Stephanie Ryan Rebecca'
export const LAST = 'Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts'
export const STREETS = 'Oak Maple Cedar Pine Elm Walnut Willow Birch Chestnut Hickory Spruce Laurel Magnolia Sycamore Aspen Juniper Cherry Poplar Hawthorn Linden Park Lake Hill River Spring Meadow Forest Valley Ridge Sunset'
export const KINDS = 'St Ave Rd Ln Dr Ct Way Pl Blvd Ter'
export const CITIES = 'Springfield Riverton Fairview Franklin Greenville Bristol Clinton Georgetown Salem Madison Arlington Ashland Burlington Dover Hudson Kingston Lexington Milton Newport Oxford'

const alternatives = (words: string) => `(?:${words.replaceAll(' ', '|')})`
/**
 * What the name strategy can write (kdb_name), by part: a fake can equal a real customer's name,
 * and the leak scan must not report the fakes it finds where a mask wrote them.
 */
export const NAME_FAKE_RE = {
  full: `^${alternatives(FIRST)} ${alternatives(LAST)}$`,
  first: `^${alternatives(FIRST)}$`,
  last: `^${alternatives(LAST)}$`,
} as const

/** What the address strategy writes (kdb_address): a number, a street, a kind, a city. */
export const ADDRESS_FAKE_RE = `^[0-9]+ ${alternatives(STREETS)} ${alternatives(KINDS)}, ${alternatives(CITIES)}$`
/** A street line of those fakes, or its start: what scrub writes for a street line in text. */
export const STREET_FAKE_RE = `^[0-9]+ ${alternatives(STREETS)}(?: ${alternatives(KINDS)})?$`
