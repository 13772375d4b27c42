/** A long-lived RabbitMQ connection a process holds (the mail worker's); its state is the health check. */
export interface RabbitMqConnectionState {
  readonly isConnected: boolean;
}

export const RABBITMQ_CONNECTION_STATE = Symbol('RABBITMQ_CONNECTION_STATE');
