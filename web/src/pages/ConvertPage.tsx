// Convert: pick images (each checked in the browser first: a refused one is marked, the rest go),
// set options with a live preview of any picked image, upload with a progress bar (leaving the
// page asks first), then straight to the job's page. The upload is resumable (tus): a dropped
// connection goes on from the last offset, and an upload that a reload or a closed tab cut off is
// offered again from IndexedDB (state/pendingUpload) when the page opens.
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { ApiError } from '../api/errors';
import { STOPPED, uploadJobResumable, type ResumableFile, type ResumableHandle } from '../api/resumable';
import { Dropzone } from '../components/Dropzone';
import { ErrorBox } from '../components/ErrorBox';
import { OptionsPanel } from '../components/OptionsPanel';
import { PresetPicker } from '../components/PresetPicker';
import { PreviewPanel } from '../components/PreviewPanel';
import { ProgressBar } from '../components/ProgressBar';
import { useI18n } from '../i18n/I18n';
import { validateForm, type OptionsForm } from '../lib/options';
import { convertAgainOptions, initialSettings, jobOptions, previewOptions, rememberOptions, type JobSettings } from '../lib/presets';
import type { Size } from '../lib/resize';
import { useLeaveGuard } from '../state/leaveGuard';
import { forgetUpload, pendingUpload, rememberUpload, rememberUploadUrl, type PendingFile, type PendingUpload } from '../state/pendingUpload';
import { usePickedFiles } from '../state/picked';
import { useServerLimits } from '../state/serverLimits';
import { useSession } from '../state/session';

/**
 * The upright size of an image file as the browser decodes it (EXIF orientation applied, as
 * the server does); null for HEIC and the like.
 */
function useNaturalSize(file: File | null): Size | null {
  const [size, setSize] = useState<Size | null>(null);
  useEffect(() => {
    setSize(null);
    if (!file) return;
    const url = URL.createObjectURL(file);
    const img = new Image();
    img.onload = () => {
      if (img.naturalWidth > 0 && img.naturalHeight > 0) setSize({ width: img.naturalWidth, height: img.naturalHeight });
      URL.revokeObjectURL(url);
    };
    img.onerror = () => URL.revokeObjectURL(url);
    img.src = url;
    return () => URL.revokeObjectURL(url);
  }, [file]);
  return size;
}

function resumable(p: PendingFile): ResumableFile {
  return { file: p.blob, name: p.name, uploadUrl: p.uploadUrl };
}

/** Whether an upload that failed with `error` may still be resumed (a network that gave up). */
function resumableFailure(error: unknown): boolean {
  return error instanceof ApiError && error.status === 0 && error.code === 'network';
}

function newKey(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`;
}

export function ConvertPage() {
  const { t, fmt } = useI18n();
  const navigate = useNavigate();
  const location = useLocation();
  const { user } = useSession();
  // A job's settings ("Convert again"), else this user's last ones, else the defaults.
  const [again] = useState(() => convertAgainOptions(location.state));
  const [initial] = useState<JobSettings>(() => initialSettings(again, user?.id));
  // The job's settings are used once: a reload (or coming back) starts from the last options.
  useEffect(() => {
    if (again) navigate('.', { replace: true, state: null });
  }, [again, navigate]);
  const limits = useServerLimits();
  const { picked, add, remove, dismiss, clear } = usePickedFiles(limits);
  const { files, refusals, checking } = picked;
  const [previewIndex, setPreviewIndex] = useState(0);
  const [form, setForm] = useState<OptionsForm>(initial.form);
  const [extra, setExtra] = useState(initial.extra);
  const [manifest, setManifest] = useState(initial.manifest);
  const [logo, setLogo] = useState<File | null>(null);
  const [name, setName] = useState('');
  const [progress, setProgress] = useState<{ loaded: number; total: number } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempted, setAttempted] = useState(false);
  const upload = useRef<ResumableHandle | null>(null);
  // An upload a reload (or a closed tab) cut off, offered again.
  const [pending, setPending] = useState<PendingUpload | null>(null);
  // One key per set of files and options: a re-submit after a lost answer gets the same job.
  const idempotencyKey = useRef(newKey());

  const shownIndex = Math.min(previewIndex, Math.max(0, files.length - 1));
  const shown = files[shownIndex] ?? null;
  const sample = useNaturalSize(shown);
  const errors = validateForm(form, logo !== null);
  const invalid = Object.keys(errors).length > 0;
  const settings = useMemo<JobSettings>(() => ({ form, extra, manifest }), [form, extra, manifest]);
  const options = useMemo(() => previewOptions(settings), [settings]);
  const sent = useMemo(() => jobOptions(settings), [settings]);
  const uploading = progress !== null;
  const guard = useLeaveGuard(uploading, t('convert.leaveWarning'));

  useEffect(() => {
    idempotencyKey.current = newKey();
  }, [files, sent, logo, name]);
  // Leaving (after the guard's question) stops the upload but keeps it for a later resume.
  useEffect(() => () => upload.current?.stop(), []);
  const userId = user?.id ?? null;
  useEffect(() => {
    if (userId === null) return;
    let live = true;
    void pendingUpload(userId).then((p) => {
      if (live && !upload.current) setPending(p);
    });
    return () => {
      live = false;
    };
  }, [userId]);

  /** Uploads `job` (new, or remembered: its files with upload URLs go on from their offsets). */
  const run = async (job: PendingUpload, isNew: boolean) => {
    setError(null);
    setPending(null);
    setProgress({ loaded: 0, total: 1 });
    if (userId !== null && isNew) await rememberUpload(userId, job);
    const handle = uploadJobResumable(
      {
        files: job.files.map(resumable),
        watermark: job.watermark ? resumable(job.watermark) : null,
        options: job.options,
        name: job.name,
        idempotencyKey: job.idempotencyKey,
      },
      {
        onProgress: (loaded, total) => setProgress({ loaded, total }),
        onUploadUrl: (index, url) => {
          if (userId !== null) void rememberUploadUrl(userId, index, url);
        },
      },
    );
    upload.current = handle;
    try {
      const made = await handle.promise;
      if (userId !== null) {
        rememberOptions(userId, job.options);
        await forgetUpload(userId);
      }
      guard.release();
      navigate(`/jobs/${encodeURIComponent(made.id)}`);
    } catch (err) {
      // The page went away: the upload stays remembered, offered when the page opens again.
      if (err instanceof ApiError && err.code === STOPPED) return;
      setError(err);
      setProgress(null);
      if (userId !== null) {
        // A network that gave up can be resumed later; a refusal cannot.
        if (resumableFailure(err)) setPending(await pendingUpload(userId));
        else await forgetUpload(userId);
      }
    } finally {
      upload.current = null;
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setAttempted(true);
    if (files.length === 0 || invalid || checking > 0) return;
    const watermark = form.watermark === 'image' ? logo : null;
    await run(
      {
        files: files.map((f) => ({ blob: f, name: f.name, uploadUrl: null })),
        watermark: watermark ? { blob: watermark, name: watermark.name, uploadUrl: null } : null,
        options: sent,
        name,
        idempotencyKey: idempotencyKey.current,
        startedAt: Date.now(),
      },
      true,
    );
  };

  const discard = () => {
    setPending(null);
    if (userId !== null) void forgetUpload(userId);
  };

  const percent = progress ? (progress.loaded / Math.max(1, progress.total)) * 100 : 0;
  return (
    <form className="page convert" onSubmit={submit}>
      <h1>{t('convert.title')}</h1>
      {again && (
        <p className="muted" role="status" data-testid="convert-again-note">
          {t('convert.again')}
        </p>
      )}
      {pending && !uploading && (
        <section className="card resume-card" aria-labelledby="resume-title" data-testid="resume-banner">
          <h2 id="resume-title">{t('convert.resumeTitle')}</h2>
          <p>
            {t('convert.resumeNote', {
              n: pending.files.length,
              size: fmt.bytes(pending.files.reduce((sum, f) => sum + f.blob.size, 0)),
            })}
          </p>
          <div className="actions">
            <button type="button" className="btn btn-primary" onClick={() => void run(pending, false)} data-testid="resume-upload">
              {t('convert.resume')}
            </button>
            <button type="button" className="btn" onClick={discard} data-testid="discard-upload">
              {t('convert.discard')}
            </button>
          </div>
        </section>
      )}
      <div className="convert-grid">
        <div className="convert-main">
          <Dropzone
            files={files}
            refusals={refusals}
            checking={checking}
            limits={limits}
            disabled={uploading}
            previewIndex={shownIndex}
            onPreview={setPreviewIndex}
            onAdd={(incoming) => void add(incoming)}
            onRemove={(i) => {
              remove(i);
              // The shown file stays shown when another one goes.
              if (i < shownIndex) setPreviewIndex(shownIndex - 1);
            }}
            onDismiss={dismiss}
            onClear={() => {
              clear();
              setPreviewIndex(0);
            }}
          />
          <PresetPicker
            settings={settings}
            disabled={uploading}
            onApply={(s) => {
              setForm(s.form);
              setExtra(s.extra);
              setManifest(s.manifest);
            }}
          />
          <OptionsPanel form={form} onChange={setForm} errors={errors} sample={sample} logo={logo} onLogo={setLogo} maxLogoBytes={limits.maxLogoBytes} disabled={uploading} />
        </div>
        <div className="convert-side">
          <PreviewPanel
            files={files}
            index={shownIndex}
            onIndex={setPreviewIndex}
            options={options}
            logo={logo}
            paused={invalid}
          />
          <section className="card submit-card">
            <label className="field">
              <span>{t('convert.name')}</span>
              <input value={name} maxLength={200} onChange={(e) => setName(e.target.value)} disabled={uploading} data-testid="job-name" />
            </label>
            <label className="check">
              <input type="checkbox" checked={manifest} onChange={(e) => setManifest(e.target.checked)} disabled={uploading} data-testid="manifest" />
              <span>
                {t('convert.manifest')}
                <span className="muted small block">{t('convert.manifestHint')}</span>
              </span>
            </label>
            {refusals.marked.length > 0 && files.length > 0 && (
              <p className="muted small" data-testid="refused-note">
                {t('convert.refusedNote', { n: refusals.marked.length })}
              </p>
            )}
            {attempted && files.length === 0 && (
              <p className="field-error" role="alert">
                {t('convert.needFiles')}
              </p>
            )}
            {attempted && invalid && (
              <p className="field-error" role="alert">
                {t('convert.fixErrors')}
              </p>
            )}
            <ErrorBox error={error} />
            {uploading ? (
              <>
                <ProgressBar value={percent} label={t('convert.upload')} />
                <p className="muted small" aria-live="polite">
                  {t('convert.uploading', { percent: Math.round(percent) })} {fmt.bytes(progress.loaded)} / {fmt.bytes(progress.total)}
                </p>
                <button
                  type="button"
                  className="btn btn-wide"
                  onClick={() => {
                    upload.current?.cancel();
                    if (userId !== null) void forgetUpload(userId);
                  }}
                >
                  {t('convert.cancel')}
                </button>
              </>
            ) : (
              <button type="submit" className="btn btn-primary btn-wide" disabled={checking > 0} data-testid="submit">
                {files.length > 0 ? t('convert.start', { n: files.length }) : t('nav.convert')}
              </button>
            )}
          </section>
        </div>
      </div>
    </form>
  );
}
