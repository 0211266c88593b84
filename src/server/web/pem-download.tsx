/** @module The download button for a finding's certificate: from memory for a fresh report, from the server once saved. */
import { useEffect, useMemo } from 'preact/hooks';
import type { ImportPlan } from '../../model/report.js';

/** The plan's own file name when clean (its `sapgenpse` command names that file), else one from the CN. */
export function pemFileName(plan: ImportPlan, index: number): string {
  if (plan.fileName && /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}\.(?:pem|crt|cer)$/.test(plan.fileName))
    return plan.fileName;
  const cn = /CN=([^,]{1,80})/.exec(plan.subject)?.[1];
  return `${(cn ?? `certificate-${index}`).replace(/[^A-Za-z0-9._-]+/g, '_')}.pem`;
}

export function PemDownload({
  plan,
  index,
  reportId,
}: {
  plan: ImportPlan;
  index: number;
  reportId?: string;
}) {
  const name = pemFileName(plan, index);
  const blobUrl = useMemo(
    () =>
      !reportId && plan.pem
        ? URL.createObjectURL(new Blob([plan.pem], { type: 'application/x-pem-file' }))
        : undefined,
    [plan.pem, reportId],
  );
  useEffect(() => () => blobUrl && URL.revokeObjectURL(blobUrl), [blobUrl]);
  if (!plan.pem) return null;
  const href = reportId ? `/api/import/${reportId}/${index}.pem` : blobUrl;
  return (
    <a class="button primary download-pem" href={href} download={name} data-testid="download-pem">
      Download {name}
    </a>
  );
}
