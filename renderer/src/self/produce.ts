/**
 * Pictures for produce sold by PLU. PLU numbers are the IFPS's international codes, so one table
 * serves every store; an item without a picture here shows its initial on a tile.
 */
const BY_PLU: Record<string, string> = {
  '4011': '🍌', // bananas
  '4173': '🍎', // apples, Royal Gala
  '4131': '🍎',
  '4133': '🍏',
  '4664': '🍅', // tomatoes
  '4072': '🥔', // potatoes
  '4062': '🥒', // cucumber
  '4046': '🥑', // avocado
  '4958': '🍋', // lemon
  '4048': '🍋', // lime
  '4060': '🥦', // broccoli
  '4562': '🥕', // carrots
  '4665': '🧅', // onions
  '4608': '🧄', // garlic
  '4012': '🍊', // oranges
  '4450': '🍊', // clementines
  '4030': '🥝', // kiwi
  '4022': '🍇', // grapes
  '4409': '🍐', // pears
  '4816': '🍠', // sweet potatoes
  '4088': '🫑', // peppers
};

const BY_WORD: Array<[RegExp, string]> = [
  [/banan/i, '🍌'],
  [/äpple|apfel|apple/i, '🍎'],
  [/päron|birne|pear/i, '🍐'],
  [/tomat/i, '🍅'],
  [/sötpotatis|süßkartoffel|sweet potato/i, '🍠'],
  [/potatis|kartoffel|potato/i, '🥔'],
  [/gurka|gurke|cucumber/i, '🥒'],
  [/apelsin|orange/i, '🍊'],
  [/clementin|mandarin/i, '🍊'],
  [/kiwi/i, '🥝'],
  [/druv|traube|grape/i, '🍇'],
  [/morot|morötter|karotte|carrot/i, '🥕'],
  [/lök|zwiebel|onion/i, '🧅'],
  [/citron|zitrone|lemon/i, '🍋'],
  [/paprika|pepper/i, '🫑'],
  [/broccoli|brokkoli/i, '🥦'],
  [/svamp|champinjon|pilz|mushroom/i, '🍄'],
];

/** The picture for a produce item: by PLU, else by a word in its name, else null. */
export function producePicture(plu: string, name: string): string | null {
  const byPlu = BY_PLU[plu];
  if (byPlu) return byPlu;
  for (const [re, pic] of BY_WORD) if (re.test(name)) return pic;
  return null;
}
