import { pino, type DestinationStream, type Logger } from 'pino';

/** JSON logs with UTC ISO timestamps; anything that looks like a secret is redacted wherever it appears. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'newsroom-cms' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: [
          'password',
          '*.password',
          'passwordHash',
          '*.passwordHash',
          'token',
          '*.token',
          'accessToken',
          '*.accessToken',
          'refreshToken',
          '*.refreshToken',
          'key',
          '*.key',
          'authorization',
          '*.authorization',
          'headers',
          '*.headers',
          'body',
          '*.body',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
