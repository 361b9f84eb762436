export { realtime, type ConnectionState } from './socket.svelte';
