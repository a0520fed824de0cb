// An agent's side of canary-judge's MCP server, with the official TypeScript SDK: connects over stdio
// (spawning the server) or Streamable HTTP, lists the tools and resources, times tools/list and judge
// once warm, judges a request (recording its rollout), plans a stage, sends invalid arguments, reads
// the rollout back, and prints everything it got as one JSON document on standard output (McpClientIT
// checks it).
//
//   node client.mjs --request FILE stdio COMMAND [ARG...]
//   node client.mjs --request FILE http URL [TOKEN]
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ListToolsResultSchema } from "@modelcontextprotocol/sdk/types.js";

const WARM_UP = 30;
const TIMED = 20;

const argv = process.argv.slice(2);
if (argv[0] !== "--request" || argv.length < 4) {
  console.error("usage: client.mjs --request FILE (stdio COMMAND [ARG...] | http URL [TOKEN])");
  process.exit(2);
}
const request = JSON.parse(readFileSync(argv[1], "utf8"));
const [kind, target, ...rest] = argv.slice(2);

const transport = kind === "stdio"
  ? new StdioClientTransport({ command: target, args: rest, stderr: "inherit" })
  : new StreamableHTTPClientTransport(new URL(target),
      rest[0] ? { requestInit: { headers: { Authorization: `Bearer ${rest[0]}` } } } : {});
const client = new Client({ name: "canary-judge-test-agent", version: "1.0.0" });

async function timed(n, call) {
  const ms = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await call();
    ms.push(Number((performance.now() - start).toFixed(3)));
  }
  return ms;
}

const report = { transport: kind };
const connectStart = performance.now();
await client.connect(transport);
report.connectMs = Number((performance.now() - connectStart).toFixed(1));
report.server = client.getServerVersion();
report.instructions = client.getInstructions();
report.tools = (await client.listTools()).tools;
report.resources = (await client.listResources()).resources;
if (report.resources.length > 0) {
  report.firstResource = await client.readResource({ uri: report.resources[0].uri });
}

// Timed without the rollout, so that the warm-up does not add looks to it.
const { rollout, ...unrecorded } = request;
await timed(WARM_UP, () => client.listTools());
await timed(WARM_UP, () => client.callTool({ name: "judge", arguments: unrecorded }));
// toolsListMs is the protocol's round trip; listTools() also compiles a validator for each output
// schema on the client's side, timed apart as toolsListSdkMs.
const toolsList = () => client.request({ method: "tools/list", params: {} }, ListToolsResultSchema);
await timed(WARM_UP, toolsList);
report.timings = {
  toolsListMs: await timed(TIMED, toolsList),
  toolsListSdkMs: await timed(TIMED, () => client.listTools()),
  judgeMs: await timed(TIMED, () => client.callTool({ name: "judge", arguments: unrecorded })),
};

report.judge = await client.callTool({ name: "judge", arguments: request });
report.plan = await client.callTool({ name: "plan_stage", arguments: {
  metric: { name: "error_rate", type: "rate", hold: { absolute: 0.005 }, rollback: { absolute: 0.02 } },
  baselineRate: 0.002, baselineRequestsPerMinute: 980, canaryRequestsPerMinute: 20, totalRequestsPerMinute: 1000,
} });
report.invalid = await client.callTool({ name: "judge", arguments: { metrics: [{ name: 3 }], confidence: 2 } });
report.listRollouts = await client.callTool({ name: "list_rollouts", arguments: {} });
if (rollout) {
  report.getRollout = await client.callTool({ name: "get_rollout", arguments: { id: rollout.id } });
}
report.unknownRollout = await client.callTool({ name: "get_rollout", arguments: { id: "no-such-rollout" } });

await client.close();
process.stdout.write(JSON.stringify(report) + "\n");
