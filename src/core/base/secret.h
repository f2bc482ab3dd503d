#ifndef CONVEYOR_SECRET_H
#define CONVEYOR_SECRET_H
#include <cjson/cJSON.h>

/* Receipts never hold secrets: tokens, JWTs, keys, archives and app packages
 * stay out of campaign receipts unless a human approved them. */

/* How a value is used: receipt text, a file path (also checked for key-file and archive extensions), or a message
 * or prompt (where naming a file such as release.zip is ordinary: only tokens, keys and passwords count). */
enum secret_field { SECRET_TEXT, SECRET_PATH, SECRET_MESSAGE };
/* Returns a static label naming the kind of secret found in text ("a GitHub token"), or NULL if none. */
const char *secret_scan(const char *text, enum secret_field field);
/* Like secret_scan with the table's rules only (no base64 decoding, no high-entropy tokens). */
const char *secret_scan_table(const char *text, enum secret_field field);
/* Scans every object key and string value of a JSON tree; string values whose object key contains "path" or "file" (any case), including strings inside arrays under such a key, are scanned as SECRET_PATH. Returns the first label found or NULL. */
const char *secret_scan_json(const cJSON *json);
#endif
