export { ActorHost, MailboxFullError, type ActorBehaviour, type ActorHostOptions } from './actor-host.js';
