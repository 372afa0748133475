import { encodeName } from '../electron/isobus/index.js';

/** The ISO NAME of a benchmark's self-configurable node (a tractor ECU of one manufacturer). */
export function benchNodeName(identityNumber: number): bigint {
  return encodeName({
    identityNumber,
    manufacturerCode: 1407,
    ecuInstance: 0,
    functionInstance: 0,
    function: 130,
    deviceClass: 1,
    deviceClassInstance: 0,
    industryGroup: 2,
    selfConfigurable: true,
  });
}
