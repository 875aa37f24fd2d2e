import { Alert, Button, Stack, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

interface Detector {
  detect(source: CanvasImageSource): Promise<{ rawValue: string }[]>;
}
declare global {
  interface Window {
    BarcodeDetector?: new (opts: { formats: string[] }) => Detector;
  }
}

export interface CameraScannerProps {
  /** A QR code was read (the same path as a USB scan). */
  onCode(code: string): void;
  onClose(): void;
}

/**
 * Reads QR codes from the webcam: the browser's BarcodeDetector where it exists, else jsQR on
 * canvas frames. The same code is not reported twice within two seconds.
 */
export function CameraScanner({ onCode, onClose }: CameraScannerProps) {
  const { t } = useTranslation();
  const video = useRef<HTMLVideoElement>(null);
  const [error, setError] = useState<string | null>(null);
  const handler = useRef(onCode);
  handler.current = onCode;

  useEffect(() => {
    let stream: MediaStream | null = null;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last = { code: '', at: 0 };
    const canvas = document.createElement('canvas');
    const detector = window.BarcodeDetector ? new window.BarcodeDetector({ formats: ['qr_code'] }) : null;
    // jsQR (~250 kB of code) only where the browser has no BarcodeDetector, loaded when the camera opens:
    // not part of the code every start loads.
    const decoder = detector ? null : import('jsqr').then((m) => m.default);
    decoder?.catch(() => undefined); // not loaded: each frame's try below says so

    const report = (code: string) => {
      const now = performance.now();
      if (code === last.code && now - last.at < 2000) return;
      last = { code, at: now };
      handler.current(code.trim());
    };

    const tick = async () => {
      if (stopped) return;
      const v = video.current;
      if (v && v.readyState >= 2 && v.videoWidth > 0) {
        try {
          if (detector) {
            const found = await detector.detect(v);
            if (found[0]?.rawValue) report(found[0].rawValue);
          } else {
            const w = Math.min(640, v.videoWidth);
            const h = Math.round((v.videoHeight / v.videoWidth) * w);
            canvas.width = w;
            canvas.height = h;
            const g = canvas.getContext('2d', { willReadFrequently: true });
            if (g) {
              g.drawImage(v, 0, 0, w, h);
              const img = g.getImageData(0, 0, w, h);
              const qr = (await decoder!)(img.data, w, h, { inversionAttempts: 'dontInvert' });
              if (qr?.data) report(qr.data);
            }
          }
        } catch {
          /* a frame that cannot be read: try the next one */
        }
      }
      timer = setTimeout(() => void tick(), 150);
    };

    (async () => {
      if (!navigator.mediaDevices?.getUserMedia) {
        setError(t('desk.cameraUnsupported'));
        return;
      }
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment', width: { ideal: 1280 } }, audio: false });
        if (stopped) return stream.getTracks().forEach((tr) => tr.stop());
        if (video.current) {
          video.current.srcObject = stream;
          await video.current.play().catch(() => undefined);
        }
        void tick();
      } catch (err) {
        setError(t('desk.cameraError', { reason: err instanceof Error ? err.name : String(err) }));
      }
    })();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      stream?.getTracks().forEach((tr) => tr.stop());
    };
  }, [t]);

  return (
    <Stack gap="sm">
      <Text>{t('desk.cameraHelp')}</Text>
      {error ? (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      ) : (
        <video ref={video} aria-label={t('desk.cameraTitle')} muted playsInline style={{ width: '100%', borderRadius: 8, background: '#000' }} />
      )}
      <Button variant="default" onClick={onClose}>
        {t('desk.cameraStop')}
      </Button>
    </Stack>
  );
}
