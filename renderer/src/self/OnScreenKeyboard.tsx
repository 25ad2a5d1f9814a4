/**
 * The kiosk's on-screen keyboard (a kiosk has no keyboard): letters of the screen's language, digits
 * for a PLU, space and erase. Each key is a large button; typing goes to `onChange`.
 */
import type { Lang } from '../i18n';

const ROWS: Record<Lang, string[]> = {
  sv: ['1234567890', 'QWERTYUIOPÅ', 'ASDFGHJKLÖÄ', 'ZXCVBNM'],
  de: ['1234567890', 'QWERTZUIOPÜ', 'ASDFGHJKLÖÄ', 'YXCVBNMß'],
  en: ['1234567890', 'QWERTYUIOP', 'ASDFGHJKL', 'ZXCVBNM'],
};

export function OnScreenKeyboard(props: { lang: Lang; value: string; onChange: (v: string) => void; label: string; eraseLabel: string; spaceLabel: string }) {
  const { value, onChange } = props;
  const type = (ch: string) => onChange((value + ch).slice(0, 40));
  return (
    <div className="osk" role="group" aria-label={props.label} data-testid="osk">
      {ROWS[props.lang].map((row) => (
        <div className="osk-row" key={row}>
          {[...row].map((ch) => (
            <button type="button" key={ch} className="osk-key" data-testid={`osk-${ch}`} onClick={() => type(ch.toLowerCase())}>
              {ch}
            </button>
          ))}
        </div>
      ))}
      <div className="osk-row">
        <button type="button" className="osk-key osk-wide" data-testid="osk-space" onClick={() => type(' ')}>
          {props.spaceLabel}
        </button>
        <button type="button" className="osk-key osk-wide" data-testid="osk-erase" aria-label={props.eraseLabel} onClick={() => onChange(value.slice(0, -1))}>
          ⌫ {props.eraseLabel}
        </button>
      </div>
    </div>
  );
}
