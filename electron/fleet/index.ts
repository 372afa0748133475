export {
  type DemoField,
  type LocalPoint,
  type Strip,
  DemoFieldError,
  LocalFrame,
  allocateRoundRobin,
  parseDemoField,
  planStrips,
  signedAreaM2,
  stripPartPolygons,
} from './demo-slice.js';
