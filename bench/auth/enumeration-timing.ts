import { round, summarizeLatencies } from '../support/stats';
import { type JsonLoadGenerator, type JsonRequest, latenciesInOrder } from './json-load';
import { loginRequest } from './login-load';
import type { BenchAccount } from '../support/bench-accounts';

export interface LoginAnswerTimes {
  samples: number;
  p50Ms: number;
  meanMs: number;
  p95Ms: number;
}

export interface EnumerationTiming {
  pairs: number;
  knownEmail: LoginAnswerTimes;
  unknownEmail: LoginAnswerTimes;
  /** |p50 unknown − p50 known| / p50 known, in percent. */
  p50DifferencePercent: number;
  /** Status and error body (code, message) of both cases, compared before timing. */
  knownAnswer: string;
  unknownAnswer: string;
}

async function answerOf(baseUrl: string, request: JsonRequest): Promise<string> {
  const response = await fetch(`${baseUrl}${request.path}`, {
    method: request.method,
    headers: { ...request.headers, 'content-type': 'application/json' },
    body: JSON.stringify(request.body),
  });
  const body = (await response.json()) as { code?: string; message?: string };
  return `${response.status} ${body.code} "${body.message}"`;
}

function times(latencies: number[]): LoginAnswerTimes {
  const summary = summarizeLatencies(latencies);
  return {
    samples: summary.count,
    p50Ms: round(summary.p50, 1),
    meanMs: round(summary.mean, 1),
    p95Ms: round(summary.p95, 1),
  };
}

/**
 * What an attacker probing for accounts sees: a known email with a wrong password against an email
 * that has no account, in the same tenant, alternating one at a time so drift hits both alike.
 */
export async function measureEnumerationTiming(
  generator: JsonLoadGenerator,
  baseUrl: string,
  accounts: BenchAccount[],
  pairs: number,
): Promise<EnumerationTiming> {
  const pairRequests = Array.from({ length: pairs }, (_, index) => {
    const account = accounts[index % accounts.length];
    return [
      loginRequest(account, `wrong-${account.password}`),
      loginRequest(account, account.password, `nobody-${index}@${account.slug}.example.com`),
    ];
  });
  // Also warms the unknown-email path: its stand-in hash is made on first use.
  const [known, unknown] = pairRequests[0];
  const knownAnswer = await answerOf(baseUrl, known);
  const unknownAnswer = await answerOf(baseUrl, unknown);

  const requests = pairRequests.flat();
  const result = await generator.run({ baseUrl, requests, concurrency: 1 });
  const latencies = latenciesInOrder(result, requests.length, 401);
  const knownEmail = times(latencies.filter((_, index) => index % 2 === 0));
  const unknownEmail = times(latencies.filter((_, index) => index % 2 === 1));
  return {
    pairs,
    knownEmail,
    unknownEmail,
    p50DifferencePercent: round(
      (100 * Math.abs(unknownEmail.p50Ms - knownEmail.p50Ms)) / knownEmail.p50Ms,
      1,
    ),
    knownAnswer,
    unknownAnswer,
  };
}
