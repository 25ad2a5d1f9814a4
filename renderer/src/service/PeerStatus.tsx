/** The store's other tills as this one replicates with them, for store IT (inside the service screen). */
import type { Snapshot } from '../../../protocol/terminal';
import { useMessages } from '../shared/messages';

export function PeerStatus({ snap }: { snap: Snapshot }) {
  const { t } = useMessages();
  const p = t.peers;
  const peers = snap.peers ?? null;
  const when = (iso: string) => new Date(iso).toLocaleString(snap.profile.locale, { dateStyle: 'short', timeStyle: 'medium', timeZone: snap.profile.timeZone });
  if (!snap.sync) return null; // not enrolled: the HQ section says so
  return (
    <section aria-label={p.title} data-testid="peer-status">
      <h3>{p.title}</h3>
      {peers === null ? (
        <p>{p.none}</p>
      ) : (
        <table className="devices">
          <thead>
            <tr>
              <th>{p.lane}</th>
              <th>{p.address}</th>
              <th>{p.lastContact}</th>
              <th>{p.behind}</th>
              <th>{p.held}</th>
              <th>{p.problem}</th>
            </tr>
          </thead>
          <tbody>
            {peers.map((x) => (
              <tr key={x.terminalId} data-testid={`peer-${x.laneId}`}>
                <td>{x.laneId}</td>
                <td>{x.address ?? p.noAddress}</td>
                <td>{x.lastContact ? when(x.lastContact) : p.never}</td>
                <td data-testid={`peer-${x.laneId}-behind`}>{x.behind}</td>
                <td data-testid={`peer-${x.laneId}-held`}>{x.held}</td>
                <td className={x.problem ? 'detail' : undefined}>{x.problem ? `▲ ${x.problem}` : p.ok}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
