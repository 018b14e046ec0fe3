/**
 * The values the tracked config/simbridge.yaml falls back to when the environment sets nothing,
 * so that `npm start` runs on a fresh clone. They are public (the file is in the repository):
 * the bridge warns while they are in use, and refuses the partner endpoint with the key.
 */
export const PLACEHOLDER_API_KEY = 'set-ONLINESIM_API_KEY';

/** The local push URL the tracked config falls back to (nothing listens there). */
export const PLACEHOLDER_PUSH_URL = 'http://127.0.0.1:8931/v1/PUSH_SMS';
