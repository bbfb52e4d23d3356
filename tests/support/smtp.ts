/**
 * A real SMTP server for digest tests (smtp-server on 127.0.0.1, any free port). Messages are read
 * back with mailparser. `accepted` holds only messages the server said 250 to; a message whose
 * answer is held (see `hold`) is never counted, like a server that never finished accepting it.
 */
import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

export type SmtpOptions = {
  /** Answer to RCPT TO: a code like 550 (permanent) or 451 (temporary), or undefined to accept. */
  rcpt?: (address: string, count: number) => number | undefined;
  /** After this many accepted messages, hold every later one unanswered (the sender stalls). */
  holdAfter?: number;
  /** Delay before answering each message, in ms. */
  delayMs?: number;
  /** Answer no message before this settles (senders stall until the test opens it). */
  gate?: Promise<void>;
};

export type Received = { envelopeTo: string[]; raw: Buffer; mail: ParsedMail };

export type TestSmtp = {
  port: number;
  url: string;
  accepted: Received[];
  held: number;
  close(): Promise<void>;
};

export async function startSmtp(options: SmtpOptions = {}): Promise<TestSmtp> {
  const accepted: Received[] = [];
  const rcptCounts = new Map<string, number>();
  const state = { held: 0, taken: 0 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onRcptTo(address, _session, callback) {
      const n = (rcptCounts.get(address.address) ?? 0) + 1;
      rcptCounts.set(address.address, n);
      const code = options.rcpt?.(address.address, n);
      if (code) {
        const error: Error & { responseCode?: number } = new Error(code >= 500 ? "Mailbox unavailable" : "Try again later");
        error.responseCode = code;
        return callback(error);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", async () => {
        const raw = Buffer.concat(chunks);
        // Decided synchronously, so messages arriving together on several connections cannot overtake the limit.
        if (options.holdAfter !== undefined && state.taken >= options.holdAfter) {
          state.held++;
          return; // never answered: the client waits until it gives up or is killed
        }
        state.taken++;
        if (options.gate) await options.gate;
        if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
        const mail = await simpleParser(raw);
        accepted.push({ envelopeTo: session.envelope.rcptTo.map((r) => r.address), raw, mail });
        callback();
      });
    },
  });
  // A client killed mid-message resets its connection: expected in these tests, not a failure.
  server.on("error", () => {});
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    url: `smtp://127.0.0.1:${port}?tls=off`,
    accepted,
    get held() {
      return state.held;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Held connections would keep close() waiting for ever.
        setTimeout(resolve, 500);
      }),
  };
}
