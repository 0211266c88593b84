/** @module The SNI parameter pair, once: the ICM's outbound HTTPS SNI switch and the one for the other kernel TLS clients. */
import type { ReportParameter } from '../model/report.js';

/** Set both to TRUE so every kernel TLS client sends the server name. */
export const SNI_PARAMETERS: readonly ReportParameter[] = [
  {
    name: 'icm/HTTPS/client_sni_enabled',
    value: 'TRUE',
    where: 'instance profile (RZ10), then restart the ICM',
    note: 'SNI for outbound HTTPS calls of the ICM (SM59 type G/H, SOAMANAGER, abapGit).',
  },
  {
    name: 'ssl/client_sni_enabled',
    value: 'TRUE',
    where: 'instance profile (RZ10)',
    note: 'SNI for the other kernel TLS clients (RFC over TLS, saphttp, sapkprotp).',
  },
];

/** The knowledge-base ids of the pair. */
export const SNI_PARAMETER_IDS: readonly string[] = SNI_PARAMETERS.map((p) => p.name);
