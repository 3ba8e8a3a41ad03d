import i18next from 'i18next';
import { formatBytes } from '../ui/format';

/** A size in the Data folder section: "empty" for nothing, else as every page shows sizes. */
export function folderSize(bytes: number): string {
  return bytes === 0 ? i18next.t('settings:data.size.empty') : formatBytes(bytes);
}

/** A suggested archive path next to the data folder, e.g. `/home/ann/.config/HubDesk-2026-11-23.hubdesk-backup`. */
export function suggestedBackupPath(dataDir: string): string {
  const today = new Date();
  const pad = (value: number) => String(value).padStart(2, '0');
  const stamp = `${today.getFullYear()}-${pad(today.getMonth() + 1)}-${pad(today.getDate())}`;
  return `${dataDir.replace(/[\\/]+$/, '')}-${stamp}.hubdesk-backup`;
}
