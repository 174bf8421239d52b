// Reads a JSON history file (`temporal workflow show --output json`, the UI's download) into the
// History message Worker.runReplayHistories takes. The SDK's own historyFromJSON loads protobufjs
// from @temporalio/common's folder, while the History type comes from @temporalio/proto's: when npm
// installs two copies (as here) their types do not match ("type must be a Type"). Loading the JSON
// codec from the copy @temporalio/proto uses keeps the two in step, whatever npm's layout.
import { createRequire } from 'node:module';
import proto from '@temporalio/proto';
import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root.js';

const fromProtoPackage = createRequire(createRequire(import.meta.url).resolve('@temporalio/proto'));
const protojson = fromProtoPackage('protobufjs/ext/protojson') as { fromJson: (type: unknown, json: unknown, options: object) => unknown };
const historyType = (patchProtobufRoot(proto) as unknown as { lookupType: (name: string) => unknown }).lookupType('temporal.api.history.v1.History');

/** The History of a JSON history file's parsed content. */
export function historyFromFile(json: unknown): proto.temporal.api.history.v1.History {
  const history = protojson.fromJson(historyType, json, { ignoreUnknownFields: true });
  if (!history) throw new TypeError('not a history');
  return history as proto.temporal.api.history.v1.History;
}
