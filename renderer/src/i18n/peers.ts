/** The service screen's store peers (tills that hold each other's sales), in each language (part of the message catalogue as `t.peers`). */

export interface PeerMessages {
  title: string;
  /** No roster from HQ yet. */
  none: string;
  lane: string;
  address: string;
  /** No address: neither HQ nor store IT gave one. */
  noAddress: string;
  lastContact: string;
  /** This till's sales the peer does not hold yet. */
  behind: string;
  /** The peer's sales this till holds. */
  held: string;
  problem: string;
  ok: string;
  never: string;
}

export const PEERS_SV: PeerMessages = {
  title: 'Kassorna i butiken',
  none: 'Ingen kasslista från HK ännu: kassan delar inte sina köp med butikens andra kassor.',
  lane: 'Kassa',
  address: 'Adress',
  noAddress: 'ingen adress',
  lastContact: 'Senaste kontakt',
  behind: 'Köp den saknar',
  held: 'Dess köp här',
  problem: 'Problem',
  ok: 'inga',
  never: 'aldrig',
};

export const PEERS_DE: PeerMessages = {
  title: 'Kassen der Filiale',
  none: 'Noch keine Kassenliste von der Zentrale: Die Kasse teilt ihre Verkäufe nicht mit den anderen Kassen.',
  lane: 'Kasse',
  address: 'Adresse',
  noAddress: 'keine Adresse',
  lastContact: 'Letzter Kontakt',
  behind: 'Fehlende Verkäufe',
  held: 'Ihre Verkäufe hier',
  problem: 'Problem',
  ok: 'keine',
  never: 'nie',
};

export const PEERS_EN: PeerMessages = {
  title: 'The store’s tills',
  none: 'No roster from HQ yet: this till does not share its sales with the store’s other tills.',
  lane: 'Lane',
  address: 'Address',
  noAddress: 'no address',
  lastContact: 'Last contact',
  behind: 'Sales it lacks',
  held: 'Its sales here',
  problem: 'Problem',
  ok: 'none',
  never: 'never',
};
