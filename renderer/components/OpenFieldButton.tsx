import { useRef, useState, type ChangeEvent } from 'react';
import { MAX_FIELD_FILE_BASE64 } from '../../shared/index.js';
import { sendCommand } from '../bridge/station-bridge.js';
import { useStationStore } from '../store/store.js';
import { VIEWER_HINT, useMayCommand } from './role-gate.js';

/** Base64 of a file's bytes, in chunks so large files do not overflow the call stack. */
async function fileToBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK)
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(binary);
}

/**
 * Opens a boundary file (GeoJSON, KML/KMZ, zipped shapefile, ISOXML) as the next job. Only
 * between jobs: while one is under way the button is disabled and says why.
 */
export function OpenFieldButton() {
  const input = useRef<HTMLInputElement | null>(null);
  const [busy, setBusy] = useState(false);
  const state = useStationStore((s) => s.snapshot?.job.state);
  const pushNotice = useStationStore((s) => s.pushNotice);
  const mayOpen = useMayCommand('openField');
  // Between jobs: a paused job stays in the history and can be reopened later.
  const allowed = state === 'planned' || state === 'finished' || state === 'paused';
  /** A field the station questioned (far from the fleet), waiting for the operator's word. */
  const [question, setQuestion] = useState<{
    fileName: string;
    dataBase64: string;
    message: string;
  } | null>(null);

  const open = async (fileName: string, dataBase64: string, confirmFar: boolean): Promise<void> => {
    const result = await sendCommand(
      { type: 'openField', fileName, dataBase64, ...(confirmFar ? { confirmFar: true } : {}) },
      { quietRefusal: true },
    );
    if (result.ok) return;
    if (result.error.code === 'unconfirmed')
      setQuestion({ fileName, dataBase64, message: result.error.message });
    else pushNotice('warning', result.error.message);
  };

  const answer = async (yes: boolean): Promise<void> => {
    const asked = question;
    setQuestion(null);
    if (!asked || !yes) return;
    setBusy(true);
    try {
      await open(asked.fileName, asked.dataBase64, true);
    } finally {
      setBusy(false);
    }
  };

  const onChange = async (event: ChangeEvent<HTMLInputElement>): Promise<void> => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    setBusy(true);
    try {
      const dataBase64 = await fileToBase64(file);
      if (dataBase64.length > MAX_FIELD_FILE_BASE64) {
        pushNotice('warning', `${file.name} is too large to open here (about 6 MB at most)`);
        return;
      }
      await open(file.name, dataBase64, false);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button
        type="button"
        disabled={!allowed || busy || !mayOpen}
        aria-description={mayOpen ? undefined : VIEWER_HINT}
        title={
          !mayOpen
            ? VIEWER_HINT
            : allowed
              ? 'Open a field file as the next job'
              : 'Pause or finish the current job to open another field'
        }
        onClick={() => input.current?.click()}
      >
        {busy ? 'Opening…' : 'Open field…'}
      </button>
      <input
        ref={input}
        type="file"
        hidden
        aria-label="Field file"
        accept=".geojson,.json,.kml,.kmz,.zip,.xml"
        onChange={(event) => void onChange(event)}
      />
      {question ? (
        // Not modal: STOP ALL and Shift+Esc stay within reach while the operator decides.
        <div
          className="group-confirm"
          role="alertdialog"
          aria-modal="false"
          aria-labelledby="field-question-text"
          data-testid="field-question"
        >
          <p id="field-question-text" className="group-confirm__title">
            {question.message}
          </p>
          <div className="group-confirm__actions">
            <button type="button" onClick={() => void answer(false)}>
              Choose another file
            </button>
            <button type="button" onClick={() => void answer(true)}>
              Open it anyway
            </button>
          </div>
        </div>
      ) : null}
    </>
  );
}
