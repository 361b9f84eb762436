// The browser's audio leg. With Twilio configured, the Voice SDK Device registers as
// `client:<userId>`; when the server adds this operator to a caller's conference, the Device
// rings and is answered at once (the operator already accepted in the console). In simulator
// mode there is no audio: mute only changes what the panel shows.
import { telephonyApi } from './api/telephony';

type SdkCall = { mute(m: boolean): void; disconnect(): void; on(e: string, fn: () => void): void };
type SdkDevice = {
  register(): Promise<void>;
  destroy(): void;
  updateToken(t: string): void;
  on(e: 'incoming', fn: (call: SdkCall) => void): void;
  on(e: 'tokenWillExpire' | 'error', fn: (...a: unknown[]) => void): void;
};

class Voice {
  mode = $state<'twilio' | 'simulator' | 'idle'>('idle');
  muted = $state(false);
  #device: SdkDevice | null = null;
  #call: SdkCall | null = null;

  async start() {
    if (this.mode !== 'idle') return;
    const { mode, token } = await telephonyApi.token();
    this.mode = mode;
    if (mode !== 'twilio' || !token) return;
    const { Device } = await import('@twilio/voice-sdk');
    const device = new Device(token, { closeProtection: true }) as unknown as SdkDevice;
    device.on('incoming', (call) => {
      this.#call = call;
      call.on('disconnect', () => (this.#call = null));
      (call as unknown as { accept(): void }).accept();
      call.mute(this.muted);
    });
    device.on('tokenWillExpire', () => void telephonyApi.token().then((t) => t.token && device.updateToken(t.token)));
    await device.register();
    this.#device = device;
  }

  setMuted(muted: boolean) {
    this.muted = muted;
    this.#call?.mute(muted);
  }

  stop() {
    this.#call?.disconnect();
    this.#device?.destroy();
    this.#device = null;
    this.mode = 'idle';
  }
}

export const voice = new Voice();
