/** The compressed spectral array across the whole recording, with the current page as a cursor; click to jump. */
import { useEffect, useRef, useState } from 'react';
import { api, type Spectrogram } from '../lib/api.ts';
import { spectrogramImage } from '../lib/spectrogram-image.ts';

interface Props {
  /** Fetch only once true (after the first page is drawn, so the CSA does not delay it). */
  ready: boolean;
  recordingId: string;
  durationSeconds: number;
  windowStartSeconds: number;
  windowSeconds: number;
  onJump: (timeSeconds: number) => void;
}

export function SpectrogramStrip({ ready, recordingId, durationSeconds, windowStartSeconds, windowSeconds, onJump }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [image, setImage] = useState<{ bitmap: HTMLCanvasElement; data: Spectrogram; limits: [number, number] }>();
  const [error, setError] = useState('');

  useEffect(() => {
    if (!ready) return;
    let cancelled = false;
    api.spectrogram(recordingId).then((data) => {
      if (cancelled || data.powerDb.length === 0) return;
      const { rgba, width, height, limitsDb } = spectrogramImage(data.powerDb);
      const bitmap = document.createElement('canvas');
      bitmap.width = width;
      bitmap.height = height;
      bitmap.getContext('2d')?.putImageData(new ImageData(rgba, width, height), 0, 0);
      setImage({ bitmap, data, limits: limitsDb });
    }, (e: unknown) => !cancelled && setError((e as Error).message));
    return () => {
      cancelled = true;
    };
  }, [recordingId, ready]);

  useEffect(() => {
    const c = canvas.current;
    const context = c?.getContext('2d');
    if (!c || !context) return;
    const width = c.clientWidth || 800;
    const height = 72;
    c.width = width;
    c.height = height;
    context.fillStyle = '#222';
    context.fillRect(0, 0, width, height);
    if (image) {
      context.imageSmoothingEnabled = true;
      context.drawImage(image.bitmap, 0, 0, width, height);
    }
    const x0 = (windowStartSeconds / durationSeconds) * width;
    const w = Math.max(2, (windowSeconds / durationSeconds) * width);
    context.strokeStyle = '#fff';
    context.lineWidth = 2;
    context.strokeRect(x0, 1, w, height - 2);
  }, [image, windowStartSeconds, windowSeconds, durationSeconds]);

  const top = image ? image.data.frequenciesHz[image.data.frequenciesHz.length - 1] : undefined;
  return (
    <div className="csa">
      <canvas
        ref={canvas}
        data-testid="csa"
        title="Compressed spectral array: click to jump"
        onClick={(e) => {
          const rect = e.currentTarget.getBoundingClientRect();
          onJump(((e.clientX - rect.left) / rect.width) * durationSeconds);
        }}
      />
      <span className="muted small">
        {error ? `Spectral trend unavailable: ${error}` : image ? `CSA 0–${top?.toFixed(0) ?? '?'} Hz, ${image.limits[0].toFixed(0)}…${image.limits[1].toFixed(0)} dB` : 'Loading spectral trend…'}
      </span>
    </div>
  );
}
