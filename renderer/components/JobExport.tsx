import { useState } from 'react';
import { EXPORTS_SERVED, downloadExport } from '../bridge/export-download.js';
import { useStationStore } from '../store/store.js';

const FORMATS = [
  { id: 'isoxml', label: 'ISOXML (TASKDATA zip)' },
  { id: 'shapefile', label: 'Shapefile (zip)' },
  { id: 'geojson', label: 'GeoJSON' },
  { id: 'kml', label: 'KML' },
  { id: 'csv', label: 'CSV totals' },
] as const;

/**
 * Exports a job of the history for farm software (the same files as `headland export`), with
 * the download's progress shown for large jobs.
 */
export function JobExport({ jobId, jobName }: { jobId: string; jobName: string }) {
  const [format, setFormat] = useState<string>('isoxml');
  const [progress, setProgress] = useState<number | null>(null);
  const notify = useStationStore((s) => s.pushNotice);
  if (!EXPORTS_SERVED) return null;
  const start = async (): Promise<void> => {
    setProgress(0);
    try {
      const fileName = await downloadExport(jobId, format, setProgress);
      notify('info', `Exported ${jobName}: ${fileName}`);
    } catch (error) {
      notify('warning', `Export failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      setProgress(null);
    }
  };
  return (
    <span className="job-export">
      <select
        aria-label={`Export format for ${jobName}`}
        value={format}
        onChange={(e) => setFormat(e.target.value)}
      >
        {FORMATS.map((f) => (
          <option key={f.id} value={f.id}>
            {f.label}
          </option>
        ))}
      </select>
      <button type="button" disabled={progress !== null} onClick={() => void start()}>
        {progress === null ? 'Export' : `Exporting… ${Math.round(progress * 100)}%`}
      </button>
      {progress !== null ? (
        <progress aria-label={`Export of ${jobName}`} max={1} value={progress} />
      ) : null}
    </span>
  );
}
