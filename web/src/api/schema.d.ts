// Generated from src/adapters/http/api/openapi.json by web/scripts/gen-api-types.mjs
// (openapi-typescript). Do not edit: change the document, then `npm run build` (or
// `node scripts/gen-api-types.mjs`) in web/. A test fails when this file is stale.

export interface paths {
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness: checks the stores */
        get: operations["getReadiness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus metrics */
        get: operations["getMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This document */
        get: operations["getOpenApiDocument"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/signup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create an account */
        post: operations["signUp"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Log in; sets an HttpOnly SameSite=Lax session cookie and returns a bearer token */
        post: operations["logIn"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** End the session */
        post: operations["logOut"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed-in user */
        get: operations["getCurrentUser"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List API keys (never the secret) */
        get: operations["listApiKeys"];
        put?: never;
        /** Create an API key; the secret is shown once */
        post: operations["createApiKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke an API key */
        delete: operations["deleteApiKey"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The user's jobs, newest first */
        get: operations["listJobs"];
        put?: never;
        /**
         * Create a job: upload 1-50 images (each at most 20 MB) with one set of options, or name finished resumable uploads
         * @description Multipart: each part is streamed to storage and checked as it arrives; the first refused part fails the whole request and nothing of it is kept. When `options` (or `preset`, and `watermark_image` if the options need one) come before the files, each file starts converting as soon as it is stored and checked, while the rest of the body arrives; the job becomes visible (lists, events) when the request ends, and a request that fails later takes what was converted with it. JSON: a job of finished resumable uploads.
         */
        post: operations["createJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A job with its images */
        get: operations["getJob"];
        put?: never;
        post?: never;
        /** Cancel if running, delete its files */
        delete: operations["deleteJob"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel a running job: images not converted yet are canceled, the converted ones are kept and zipped */
        post: operations["cancelJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs/{id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Queue the failed images again */
        post: operations["retryJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs/{id}/archive": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** All outputs and manifest.json as one ZIP (Range, ETag supported) */
        get: operations["downloadJobArchive"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs/{id}/images/{n}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One output image (Range, ETag supported), or its thumbnail with ?size= */
        get: operations["downloadJobImage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs/{id}/images/{n}/source": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The image as uploaded (kept until the job expires), or its thumbnail with ?size= (the job page's 'before') */
        get: operations["downloadJobImageSource"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs/{id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Server-Sent Events for one job: snapshot, progress, job.completed, job.failed */
        get: operations["streamJobEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Server-Sent Events for all of the user's jobs and notifications */
        get: operations["streamUserEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/notifications": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The user's notifications, newest first */
        get: operations["listNotifications"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/notifications/{id}/read": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Mark one read */
        post: operations["markNotificationRead"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/notifications/read-all": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Mark all read */
        post: operations["markAllNotificationsRead"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Live preview of one image with the chosen options
         * @description Renders the image with the same engine and options a job would use, scaled down to fit `box` (default 640, at most 1600 pixels on the longer side). The X-Output-* headers describe the full-size result. TIFF is shown as PNG; max_bytes is not searched.
         */
        post: operations["renderPreview"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The user's webhooks */
        get: operations["listWebhooks"];
        put?: never;
        /**
         * Register a webhook
         * @description Slack and Discord get their message formats; generic gets a versioned JSON event signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature: v1,<base64 HMAC-SHA256 of id.timestamp.body>).
         */
        post: operations["createWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a test message to a URL before saving it */
        post: operations["testWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One webhook */
        get: operations["getWebhook"];
        put?: never;
        post?: never;
        /** Delete a webhook with its deliveries */
        delete: operations["deleteWebhook"];
        options?: never;
        head?: never;
        /** Enable/disable, change events, rotate the secret */
        patch: operations["updateWebhook"];
        trace?: never;
    };
    "/v1/webhooks/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Deliveries and every attempt, newest first */
        get: operations["listWebhookDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/presets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The user's presets, by name */
        get: operations["listPresets"];
        put?: never;
        /**
         * Save a preset: a name and conversion options
         * @description The options are checked by the same parser as a job's `options` part (an error names `options.<field>`) and kept in their canonical form. Names are unique per user.
         */
        post: operations["createPreset"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/presets/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One preset */
        get: operations["getPreset"];
        /** Replace a preset's name and options */
        put: operations["replacePreset"];
        post?: never;
        /** Delete a preset (jobs made with it keep their options) */
        delete: operations["deletePreset"];
        options?: never;
        head?: never;
        /** Rename a preset or change its options */
        patch: operations["updatePreset"];
        trace?: never;
    };
    "/v1/webhooks/{id}/deliveries/{delivery}/redeliver": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a delivery again
         * @description A delivered or failed delivery becomes pending, due now, with a fresh budget of tries; it keeps its id (the webhook-id header), body and attempt log.
         */
        post: operations["redeliverWebhookDelivery"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/objects/jobs/{id}/archive.zip": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A job's ZIP through an expiring signed link (from notifications and webhooks) */
        get: operations["downloadSignedJobArchive"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/uploads": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start a resumable upload of one file (tus creation)
         * @description Announces a file of Upload-Length bytes. Its bytes then arrive with PATCH requests, each starting where the previous one stopped; a dropped connection loses nothing that arrived (HEAD tells the offset). A finished upload becomes one image of a job made with POST /v1/jobs and a JSON body naming upload ids. The length is checked against the per-file limit and the user's quotas (open uploads count as queued images and their lengths as stored bytes) before any byte is sent. No request body.
         */
        post: operations["createUpload"];
        delete?: never;
        /**
         * Resumable uploads (tus 1.0.0): what this server supports
         * @description The tus protocol's discovery request: the version, the extensions (creation, termination, expiration) and the largest upload (the per-file limit, bytes). Public.
         */
        options: operations["getUploadCapabilities"];
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/uploads/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete an upload and its bytes (tus termination) */
        delete: operations["deleteUpload"];
        options?: never;
        /** How much of an upload arrived (tus) */
        head: operations["getUploadOffset"];
        /**
         * Append bytes to an upload at its offset (tus)
         * @description The body's bytes continue the upload at Upload-Offset, which must be the upload's offset. The bytes that arrive are kept even when the connection drops mid-way. A request that would go past Upload-Length is refused and keeps nothing.
         */
        patch: operations["updateUpload"];
        trace?: never;
    };
    "/v1/jobs/{id}/convert-again": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Convert the job's uploads again, with its options, as a new job
         * @description For a finished job, and for an expired one while its uploads are kept (the `keep_sources` setting; 0 by default: uploads go with the results). The files are checked again as in an upload (limits, quotas).
         */
        post: operations["convertJobAgain"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/limits": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This server's upload limits and the user's quotas and usage */
        get: operations["getLimits"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description Every error answer: a stable code, a message for people in the request's language (Accept-Language: Korean or English, English otherwise) and, when one field is at fault, its name; `params` holds the numbers and names the message is made of, for clients that word it themselves */
        Error: {
            error: {
                /**
                 * @description Stable: clients branch on it and word the message from it. The engine's and use cases' codes (src/domain/error.hpp), the transport's defaults per status, and the codes single routes send
                 * @enum {string}
                 */
                code: "invalid_option" | "unsupported_format" | "too_many_pixels" | "too_large" | "corrupt_image" | "timeout" | "invalid_request" | "unauthorized" | "not_found" | "conflict" | "idempotency_key_reused" | "rate_limited" | "quota_exceeded" | "unavailable" | "internal" | "bad_request" | "forbidden" | "method_not_allowed" | "request_timeout" | "length_required" | "payload_too_large" | "unsupported_media_type" | "precondition_failed" | "range_not_satisfiable" | "expectation_failed" | "unprocessable_entity" | "too_many_requests" | "header_too_large" | "not_implemented" | "expired" | "invalid_json" | "invalid_query" | "busy" | "cross_origin" | "link_expired" | "sources_gone" | "unsupported_version";
                /** @description For people, in the language Accept-Language asks for (ko or en, q-values honoured; English otherwise) */
                message: string;
                field?: string;
                /** @description The message's parameters by name (a limit, a file name ...), present when it has some */
                params?: {
                    [key: string]: string | number | boolean;
                };
            };
        };
        Health: {
            /** @enum {string} */
            status: "ok" | "ready";
        };
        Credentials: {
            /** Format: email */
            email: string;
            password: string;
        };
        User: {
            id: number;
            email: string;
            /** Format: date-time */
            created_at: string;
        };
        AuthResult: {
            token: string;
            user: components["schemas"]["User"];
            /** Format: date-time */
            expires_at: string;
        };
        ApiKey: {
            id: number;
            name: string;
            prefix: string;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            last_used_at: string | null;
        };
        /** @description An API key as created: with the key itself, shown this once */
        CreatedApiKey: {
            id: number;
            name: string;
            prefix: string;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            last_used_at: string | null;
            /** @description isk_...: shown once, stored only as a hash */
            key: string;
        };
        ApiKeyList: {
            items: components["schemas"]["ApiKey"][];
        };
        /** @enum {string} */
        JobStatus: "queued" | "processing" | "done" | "partial" | "failed" | "canceled" | "expired";
        /** @enum {string} */
        ImageStatus: "queued" | "processing" | "done" | "failed" | "canceled";
        /** @description Why the image failed */
        ImageError: {
            /** @enum {string} */
            code: "invalid_option" | "unsupported_format" | "too_many_pixels" | "too_large" | "corrupt_image" | "timeout" | "invalid_request" | "unauthorized" | "not_found" | "conflict" | "idempotency_key_reused" | "rate_limited" | "quota_exceeded" | "unavailable" | "internal";
            /** @description Why, in the request's language (Accept-Language) */
            message: string;
            /** @description The engine's or the worker's own words, technical and in English ("VipsJpeg: premature end of JPEG image") */
            detail?: string;
        };
        /** @description width, height and bytes of the upload; once converted, pages (pages of a document, images of a HEIF/AVIF collection or frames of an animation) and page (the one converted, null when every frame was kept) */
        ImageInput: {
            width: number;
            height: number;
            bytes: number;
            pages?: number;
            page?: number | null;
        };
        /** @description The converted file */
        ImageOutput: {
            format: string;
            width: number;
            height: number;
            bytes: number;
            /** @description The quality the encoder used (the one found for max_bytes); null for lossless formats */
            quality_used: number | null;
            /** @description BlurHash placeholder of the output */
            blurhash: string;
        };
        Image: {
            index: number;
            source_name: string;
            output_name: string | null;
            status: components["schemas"]["ImageStatus"];
            error: components["schemas"]["ImageError"] | null;
            input: components["schemas"]["ImageInput"];
            output: components["schemas"]["ImageOutput"] | null;
            /** @description Deliveries of its conversion task so far */
            attempts: number;
        };
        Job: {
            id: string;
            name: string;
            status: components["schemas"]["JobStatus"];
            total: number;
            done: number;
            failed: number;
            bytes_in: number;
            bytes_out: number;
            options: components["schemas"]["ConversionOptions"];
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            started_at: string | null;
            /** Format: date-time */
            finished_at: string | null;
            /** Format: date-time */
            expires_at: string | null;
            /** @description Only in the answers about one job (not in lists, not on creation) */
            images?: components["schemas"]["Image"][];
            /** @description From start to finish; null until it finished */
            duration_ms: number | null;
            /** @description Whether the uploaded files are still there, so the job can be converted again (POST /v1/jobs/{id}/convert-again): always while its results are kept, and for keep_sources seconds after they expire */
            sources_kept: boolean;
        };
        JobPage: {
            items: components["schemas"]["Job"][];
            next_cursor: string | null;
        };
        Notification: {
            id: number;
            /** @enum {string} */
            type: "JOB_STARTED" | "JOB_DONE" | "JOB_PARTIAL" | "JOB_FAILED" | "JOB_CANCELED" | "RESULT_EXPIRING" | "RESULT_EXPIRED" | "WEBHOOK_DISABLED";
            job_id: string | null;
            /** @description In the request's language (Accept-Language), from the type and params; records from before params were kept give their English text */
            message: string;
            read: boolean;
            /** Format: date-time */
            created_at: string;
            /** @description The message's parameters by name (name, done, failed, total, remaining in seconds, expires_at ...); {} for old records */
            params: {
                [key: string]: string | number | boolean;
            };
        };
        NotificationPage: {
            items: components["schemas"]["Notification"][];
            next_cursor: string | null;
            /** @description Unread notifications in all */
            unread: number;
        };
        MarkedCount: {
            /** @description How many were unread */
            marked: number;
        };
        /** @description See README: every key optional; unknown keys refused */
        ConversionOptions: {
            width?: number;
            height?: number;
            /**
             * @default contain
             * @enum {string}
             */
            fit?: "contain" | "inside" | "fill" | "cover" | "outside";
            keep_ratio?: boolean;
            /** @enum {string} */
            gravity?: "centre" | "north" | "northeast" | "east" | "southeast" | "south" | "southwest" | "west" | "northwest" | "attention" | "entropy";
            /** @default false */
            enlarge?: boolean;
            /**
             * @default original
             * @enum {string}
             */
            format?: "original" | "jpeg" | "png" | "webp" | "avif" | "gif" | "tiff" | "bmp";
            /** @default 80 */
            quality?: number;
            lossless?: boolean;
            progressive?: boolean;
            palette?: boolean;
            effort?: number;
            max_bytes?: number;
            /** @description Which page of a multi-page TIFF, or which image of a HEIF/AVIF collection, is converted (0-based). Absent: the first page, or the primary image; an animation keeps all its frames. Past the input's last page the image fails with a field error on page. */
            page?: number;
            /**
             * @default strip
             * @enum {string}
             */
            metadata?: "strip" | "keep" | "copyright";
            background?: string;
            /** @default 30 */
            timeout_seconds?: number;
            /**
             * @description Whether the job's ZIP includes manifest.json (the web app sends false)
             * @default true
             */
            manifest?: boolean;
            watermark?: {
                /** @enum {string} */
                type?: "none" | "text" | "image";
                text?: string;
                /** @enum {string} */
                position?: "TOP_LEFT" | "TOP_CENTER" | "TOP_RIGHT" | "MIDDLE_LEFT" | "CENTER" | "MIDDLE_RIGHT" | "BOTTOM_LEFT" | "BOTTOM_CENTER" | "BOTTOM_RIGHT";
                opacity?: number;
                size?: number;
                color?: string;
                margin?: number;
                tile?: boolean;
            };
        };
        /** @enum {string} */
        WebhookEvent: "job.completed" | "job.failed" | "job.expired";
        Webhook: {
            id: number;
            /** @enum {string} */
            type: "slack" | "discord" | "generic";
            /** Format: uri */
            url: string;
            events: components["schemas"]["WebhookEvent"][];
            enabled: boolean;
            /** @description Why it was turned off; empty while enabled */
            disabled_reason: string;
            consecutive_failures: number;
            /** @description Whether deliveries carry Standard Webhooks signatures (generic) */
            signed: boolean;
            /** Format: date-time */
            created_at: string;
            /**
             * Format: date-time
             * @description After a rotation: the old secret also signs until then
             */
            previous_secret_until: string | null;
            /** @description whsec_... Only in the answer that creates or rotates it: shown once */
            secret?: string;
        };
        WebhookList: {
            items: components["schemas"]["Webhook"][];
        };
        WebhookInput: {
            /** @enum {string} */
            type: "slack" | "discord" | "generic";
            /**
             * Format: uri
             * @description http(s); no private, loopback, link-local or metadata addresses (unless the service allows private targets); Slack and Discord only on their official hosts
             */
            url: string;
            /** @description Default: all */
            events?: components["schemas"]["WebhookEvent"][];
            /** @description generic only: whsec_ + base64 of 24-64 bytes; generated when absent */
            secret?: string;
        };
        WebhookPatch: {
            enabled?: boolean;
            events?: components["schemas"]["WebhookEvent"][];
            /** @description New secret (shown once); the old one also signs for 24 h */
            rotate_secret?: boolean;
        };
        WebhookTestResult: {
            ok: boolean;
            /** @description The receiver's HTTP status; 0 when no HTTP answer came */
            status: number;
            latency_ms: number;
            /** @description Empty when none */
            error: string;
            /** @description Generic tests sent without a secret are signed like real deliveries with this new one (whsec_...): register the webhook with it to keep the same key */
            secret?: string;
        };
        DeliveryAttempt: {
            attempt: number;
            /** Format: date-time */
            at: string;
            /** @description 0 when no HTTP answer came */
            status_code: number;
            latency_ms: number;
            error: string;
            /** Format: date-time */
            next_retry_at: string | null;
        };
        Preset: {
            id: number;
            name: string;
            options: components["schemas"]["ConversionOptions"];
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
        };
        PresetInput: {
            /** @description UTF-8, unique per user, at most 100 characters; surrounding white space is trimmed */
            name: string;
            options: components["schemas"]["ConversionOptions"];
        };
        PresetPatch: {
            /** @description UTF-8, unique per user, at most 100 characters; surrounding white space is trimmed */
            name?: string;
            options?: components["schemas"]["ConversionOptions"];
        };
        PresetList: {
            items: components["schemas"]["Preset"][];
            /** @description Presets an account may have */
            max_presets: number;
        };
        Delivery: {
            /** @description The webhook-id header: the same on every retry */
            id: string;
            webhook_id: number;
            event: string;
            /** @description The job the event is about (null for deliveries made before this field) */
            job_id?: string | null;
            /** @description The job's name when the event happened */
            job_name?: string | null;
            /** @enum {string} */
            status: "pending" | "delivered" | "failed";
            attempts: number;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            next_attempt_at: string | null;
            attempts_log: components["schemas"]["DeliveryAttempt"][];
        };
        DeliveryPage: {
            items: components["schemas"]["Delivery"][];
            next_cursor: string | null;
        };
        /** @description What this server accepts (its settings) and what the signed-in user holds now */
        Limits: {
            /** @description Files in one job (`max_files`) */
            max_files: number;
            /** @description Bytes of one uploaded image (`max_file_bytes`) */
            max_file_bytes: number;
            /** @description Bytes of a watermark logo */
            max_watermark_bytes: number;
            /** @description Pixels of one input, width x height from its header (`max_pixels`) */
            max_pixels: number;
            /** @description Pixels of a progressive JPEG, which is decoded whole */
            max_progressive_pixels: number;
            /** @description Pixels of one output (`max_output_pixels`) */
            max_output_pixels: number;
            /** @description Accepted inputs, recognised by their first bytes */
            input_formats: ("jpeg" | "png" | "webp" | "gif" | "tiff" | "bmp" | "avif" | "heic")[];
            quotas: {
                max_active_jobs: number;
                max_queued_images: number;
                max_stored_bytes: number;
            };
            usage: {
                /** @description Jobs queued or processing */
                active_jobs: number;
                /** @description Their images not converted yet */
                queued_images: number;
                /** @description Inputs and outputs of jobs not expired */
                stored_bytes: number;
            };
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Alive */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
            /** @description Malformed request: the transport answers this for any route (bad framing, a malformed percent-escape in the query string, a target not starting with /) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getReadiness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ready */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
            /** @description Malformed request: the transport answers this for any route (bad framing, a malformed percent-escape in the query string, a target not starting with /) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A store is unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Text exposition format */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            /** @description Not from this machine (no metrics token set), or without the metrics token as a bearer */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getOpenApiDocument: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OpenAPI 3.1 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        openapi: string;
                        info: Record<string, never>;
                        paths: Record<string, never>;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Malformed request: the transport answers this for any route (bad framing, a malformed percent-escape in the query string, a target not starting with /) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    signUp: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Credentials"];
            };
        };
        responses: {
            /** @description Signed up and logged in */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuthResult"];
                };
            };
            /** @description Bad email or password (field named) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Email taken */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many sign-ups from this address (20 an hour) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    logIn: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Credentials"];
            };
        };
        responses: {
            /** @description Logged in */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuthResult"];
                };
            };
            /** @description Wrong email or password */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many attempts */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    logOut: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Logged out */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getCurrentUser: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description User */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listApiKeys: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Keys */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyList"];
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedApiKey"];
                };
            };
            /** @description Bad name */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource for this user */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listJobs: {
        parameters: {
            query?: {
                status?: components["schemas"]["JobStatus"];
                /** @description The next_cursor of the previous page, as it came (absent or empty: the first page). Anything else answers 400 naming cursor. */
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobPage"];
                };
            };
            /** @description Bad filter, cursor or limit */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createJob: {
        parameters: {
            query?: never;
            header?: {
                /** @description At most 200 printable ASCII characters (anything else: 400 naming Idempotency-Key). A retried POST with the same key returns the same job (200). The key belongs to the request it first came with: the same key with different options, preset, name, watermark or files (their names and sizes) answers 422 `idempotency_key_reused`, naming Idempotency-Key, and keeps nothing of the second request */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "multipart/form-data": {
                    files: string[];
                    options?: components["schemas"]["ConversionOptions"];
                    /** Format: binary */
                    watermark_image?: string;
                    /** @description The id or name of one of the user's presets, instead of options (both: 400 naming preset) */
                    preset?: string;
                    name?: string;
                };
                "application/json": {
                    /** @description Ids of finished resumable uploads (POST /v1/uploads), in the job's image order; each becomes one image and the upload is taken */
                    uploads: string[];
                    options?: components["schemas"]["ConversionOptions"];
                    /** @description The id or name of one of the user's presets, instead of options */
                    preset?: string;
                    name?: string;
                    /** @description Id of a finished upload holding the logo of an image watermark (as the multipart watermark_image) */
                    watermark_upload?: string;
                    /**
                     * @description The uploads may still be arriving: the request waits for each in turn (the watermark's first, then the images in order) and each image is queued for conversion as soon as its upload is complete and checked, so the job is ready seconds after the last byte. The answer comes once the last upload has been taken. If the upload waited for receives no bytes for 60 s, or the wait passes the request timeout (300 s by default), the answer is 409 naming uploads (or watermark_upload): make the job once the uploads are complete. On any refusal nothing of the job is kept and the uploads stay as they were.
                     * @default false
                     */
                    await_uploads?: boolean;
                };
            };
        };
        responses: {
            /** @description The job an earlier request with the same Idempotency-Key created */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Job"];
                };
            };
            /** @description Created and queued */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Job"];
                };
            };
            /** @description Bad request or options (field named) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An upload id is unknown, expired or another user's (field uploads) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An upload is unfinished, still being appended to, or taken by another job; with await_uploads, the upload waited for stopped receiving bytes (60 s) or the wait passed the request timeout (field uploads or watermark_upload) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many files, a file too large, or an image over the pixel limit (file named) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A file is not an accepted image type (file named) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An option is out of range (the option named), or the Idempotency-Key was used before with a different request (`idempotency_key_reused`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A per-user quota is reached (the quota named) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Shutting down */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Job */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Job"];
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource for this user */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource for this user */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    cancelJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Canceled; the job is canceled, its ZIP holds the images already converted */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Job"];
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource for this user */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The job has already finished */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    retryJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Re-queued */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Job"];
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource for this user */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Nothing to retry, or the job is not finished */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    downloadJobArchive: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description ZIP */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/zip": string;
                };
            };
            /** @description Part of it */
            206: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource for this user */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not finished yet */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Expired */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description If-Match names another version of the file */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Bad range */
            416: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    downloadJobImage: {
        parameters: {
            query?: {
                /** @description Instead of the file itself, its thumbnail: WebP, longer side this many pixels (rendered by the engine on first request, then stored with the job's files). */
                size?: 128 | 256 | 512 | 1024;
            };
            header?: never;
            path: {
                id: string;
                n: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The image */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "image/*": string;
                };
            };
            /** @description Part of it */
            206: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description size is not one of the offered sizes */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource for this user */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not converted */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Expired */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description If-Match names another version of the file */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Bad range */
            416: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The upload cannot be decoded, so it has no thumbnail (the engine's error) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    downloadJobImageSource: {
        parameters: {
            query?: {
                /** @description Instead of the file itself, its thumbnail: WebP, longer side this many pixels (rendered by the engine on first request, then stored with the job's files). */
                size?: 128 | 256 | 512 | 1024;
            };
            header?: never;
            path: {
                id: string;
                n: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The upload, with its sniffed type and its original file name */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "image/*": string;
                };
            };
            /** @description Part of it */
            206: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description size is not one of the offered sizes */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource for this user */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Expired */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description If-Match names another version of the file */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Bad range */
            416: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The upload cannot be decoded, so it has no thumbnail (the engine's error) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    streamJobEvents: {
        parameters: {
            query?: never;
            header?: {
                "Last-Event-ID"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description An event stream */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource for this user */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many open event streams for this user: close one */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    streamUserEvents: {
        parameters: {
            query?: never;
            header?: {
                "Last-Event-ID"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description An event stream */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many open event streams for this user: close one */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listNotifications: {
        parameters: {
            query?: {
                unread?: boolean;
                /** @description The next_cursor of the previous page, as it came (absent or empty: the first page). Anything else answers 400 naming cursor. */
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NotificationPage"];
                };
            };
            /** @description Bad filter, cursor or limit */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    markNotificationRead: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Marked */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource for this user */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    markAllNotificationsRead: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description How many */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MarkedCount"];
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    renderPreview: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "multipart/form-data": {
                    /** Format: binary */
                    file: string;
                    options?: components["schemas"]["ConversionOptions"];
                    /** Format: binary */
                    watermark_image?: string;
                    box?: number;
                };
            };
        };
        responses: {
            /** @description The rendered preview */
            200: {
                headers: {
                    /** @description Width of the full-size output */
                    "X-Output-Width"?: number;
                    /** @description Height of the full-size output */
                    "X-Output-Height"?: number;
                    "X-Output-Format"?: string;
                    /** @description The preview's size scaled by area: a rough guide */
                    "X-Estimated-Output-Bytes"?: number;
                    "X-Preview-Width"?: number;
                    "X-Preview-Height"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "image/*": string;
                };
            };
            /** @description Malformed form or options (field named) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description File or pixels over the limits */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not an accepted image type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The image cannot be converted */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listWebhooks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description List */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookList"];
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WebhookInput"];
            };
        };
        responses: {
            /** @description Created (with `secret` for a generic webhook, shown once) */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Webhook"];
                };
            };
            /** @description A field is missing or wrong (named in error.field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    testWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WebhookInput"];
            };
        };
        responses: {
            /** @description What the receiver answered */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookTestResult"];
                };
            };
            /** @description A field is wrong (named) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The webhook */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Webhook"];
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such webhook (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such webhook */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WebhookPatch"];
            };
        };
        responses: {
            /** @description The webhook */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Webhook"];
                };
            };
            /** @description A field is wrong (named) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such webhook */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listWebhookDeliveries: {
        parameters: {
            query?: {
                /** @description The next_cursor of the previous page, as it came (absent or empty: the first page). Anything else answers 400 naming cursor. */
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeliveryPage"];
                };
            };
            /** @description Bad cursor or limit */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such webhook */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listPresets: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description List */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PresetList"];
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createPreset: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PresetInput"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    /** @description The preset's absolute URL */
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Preset"];
                };
            };
            /** @description A field is missing or wrong (named in error.field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The user has a preset of that name (field name) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An option is wrong (invalid_option, named options.<field>) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The account has max_presets presets already (quota_exceeded, field max_presets) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getPreset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The preset */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Preset"];
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such preset (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    replacePreset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PresetInput"];
            };
        };
        responses: {
            /** @description The preset */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Preset"];
                };
            };
            /** @description A field is missing or wrong (named) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such preset (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The user has another preset of that name */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An option is wrong (invalid_option, named options.<field>) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deletePreset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such preset (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updatePreset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PresetPatch"];
            };
        };
        responses: {
            /** @description The preset */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Preset"];
                };
            };
            /** @description A field is wrong (named) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such preset (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The user has another preset of that name */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An option is wrong (invalid_option, named options.<field>) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    redeliverWebhookDelivery: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
                delivery: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Queued again */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Delivery"];
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such webhook or delivery (or another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The delivery is still pending, or the webhook is disabled */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    downloadSignedJobArchive: {
        parameters: {
            query: {
                /** @description Unix seconds */
                expires: number;
                /** @description HMAC-SHA256 of method, key and expiry */
                signature: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The ZIP */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/zip": string;
                };
            };
            /** @description Expired or forged link */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The results expired */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description If-Match names another version of the file */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createUpload: {
        parameters: {
            query?: never;
            header: {
                /** @description The tus protocol version; anything else (or none) is 412 */
                "Tus-Resumable": "1.0.0";
                /** @description The file's size in bytes (at most the per-file limit, Tus-Max-Size) */
                "Upload-Length": number;
                /** @description Comma-separated "key base64(value)" pairs, UTF-8 text (else 400 naming Upload-Metadata); filename names the image (bytes of it that are not UTF-8 become U+FFFD), filetype is informative (the bytes decide the type) */
                "Upload-Metadata"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Created; PATCH its Location */
            201: {
                headers: {
                    /** @description The upload's absolute URL */
                    Location?: string;
                    /** @description 1.0.0: the tus protocol version of this answer */
                    "Tus-Resumable"?: string;
                    /** @description Bytes of the upload received and kept so far */
                    "Upload-Offset"?: number;
                    /** @description When the unfinished upload is deleted (an HTTP date); a job must take it before then */
                    "Upload-Expires"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Upload-Length missing or not a number, Upload-Defer-Length given, or Upload-Metadata malformed (header named) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Tus-Resumable missing or not 1.0.0 (the answer's Tus-Version lists the supported one) */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Upload-Length over the per-file limit (field Upload-Length), or a request body was sent */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A per-user quota is reached (the quota named) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getUploadCapabilities: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Capabilities */
            204: {
                headers: {
                    /** @description 1.0.0: the tus protocol version of this answer */
                    "Tus-Resumable"?: string;
                    /** @description Protocol versions supported: 1.0.0 */
                    "Tus-Version"?: string;
                    /** @description creation,termination,expiration */
                    "Tus-Extension"?: string;
                    /** @description Largest Upload-Length accepted (the per-file limit), bytes */
                    "Tus-Max-Size"?: number;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Malformed request: the transport answers this for any route */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteUpload: {
        parameters: {
            query?: never;
            header: {
                /** @description The tus protocol version; anything else (or none) is 412 */
                "Tus-Resumable": "1.0.0";
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    /** @description 1.0.0: the tus protocol version of this answer */
                    "Tus-Resumable"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such upload (or another user's, or deleted by the janitor after it expired) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Tus-Resumable missing or not 1.0.0 (the answer's Tus-Version lists the supported one) */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getUploadOffset: {
        parameters: {
            query?: never;
            header: {
                /** @description The tus protocol version; anything else (or none) is 412 */
                "Tus-Resumable": "1.0.0";
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The offset to resume from; never cached */
            200: {
                headers: {
                    /** @description 1.0.0: the tus protocol version of this answer */
                    "Tus-Resumable"?: string;
                    /** @description Bytes of the upload received and kept so far */
                    "Upload-Offset"?: number;
                    /** @description The announced size, bytes */
                    "Upload-Length"?: number;
                    /** @description As sent at creation */
                    "Upload-Metadata"?: string;
                    /** @description When the unfinished upload is deleted (an HTTP date); a job must take it before then */
                    "Upload-Expires"?: string;
                    /** @description no-store */
                    "Cache-Control"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such upload (or another user's, or deleted by the janitor after it expired) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The upload expired (until the janitor deletes it) */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Tus-Resumable missing or not 1.0.0 (the answer's Tus-Version lists the supported one) */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateUpload: {
        parameters: {
            query?: never;
            header: {
                /** @description The tus protocol version; anything else (or none) is 412 */
                "Tus-Resumable": "1.0.0";
                /** @description Where these bytes start: the upload's current offset */
                "Upload-Offset": number;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/offset+octet-stream": string;
            };
        };
        responses: {
            /** @description Appended */
            204: {
                headers: {
                    /** @description 1.0.0: the tus protocol version of this answer */
                    "Tus-Resumable"?: string;
                    /** @description Bytes of the upload received and kept so far */
                    "Upload-Offset"?: number;
                    /** @description When the unfinished upload is deleted (an HTTP date); a job must take it before then */
                    "Upload-Expires"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Upload-Offset missing or not a number */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such upload (or another user's, or deleted by the janitor after it expired) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Upload-Offset is not the upload's offset, another request is appending to it (Retry-After), or a job took it (field Upload-Offset) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The upload expired (until the janitor deletes it) */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Tus-Resumable missing or not 1.0.0 (the answer's Tus-Version lists the supported one) */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The bytes would go past Upload-Length (field Upload-Length) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Content-Type is not application/offset+octet-stream */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    convertJobAgain: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The new job */
            201: {
                headers: {
                    /** @description The new job's URL */
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Job"];
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource for this user */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The job has not finished yet */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The uploads are no longer kept (`sources_gone`) */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A file is over this server's limits now */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A quota is reached (`quota_exceeded`) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getLimits: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The limits */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Limits"];
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
}
