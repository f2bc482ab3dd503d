/* Secret detector: one table of POSIX ERE patterns, one scanner, and a JSON walker over it. */
#include "core/base/secret.h"

#include <math.h>
#include <regex.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* POSIX ERE has no \b: a token starts at the beginning or after a non-word byte. */
#define WORD_START "(^|[^A-Za-z0-9_-])"

enum secret_flag {
	SECRET_ICASE = 1u << 0,     /* match case-insensitively */
	SECRET_PATH_ONLY = 1u << 1, /* only applies to SECRET_PATH values */
	SECRET_RECEIPT = 1u << 2,   /* a file kind receipts must not name; a message may (SECRET_MESSAGE skips it) */
};

/* One kind of secret: the label reported to users and the pattern that finds it. */
struct secret_rule {
	const char *label;
	const char *pattern;
	unsigned flags;
};

/* Checked in order; the first matching rule names the secret. */
static const struct secret_rule secret_rules[] = {
	{ "a JWT",
	  WORD_START "eyJ[A-Za-z0-9_-]{7,}\\.[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}", 0 },
	{ "a private key block", "-----BEGIN [A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----", 0 },
	{ "a Stripe secret key", WORD_START "(sk|rk)_(live|test)_[A-Za-z0-9]{16,}", 0 },
	{ "an OpenAI API key", WORD_START "sk-[A-Za-z0-9_-]{20,}", 0 },
	{ "a GitHub token", "gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,}", 0 },
	{ "a GitLab token", "gl(pat|dt|ptt|rt)-[A-Za-z0-9_-]{20,}", 0 },
	{ "an npm token", WORD_START "npm_[A-Za-z0-9]{36}", 0 },
	{ "a Hugging Face token", WORD_START "hf_[A-Za-z0-9]{30,}", 0 },
	{ "a Slack token", "xox[a-z]-[A-Za-z0-9-]{10,}", 0 },
	{ "an AWS access key id", WORD_START "(AKIA|ASIA)[0-9A-Z]{16}", 0 },
	{ "an AWS secret access key",
	  "aws.{0,24}(secret|private).{0,24}[^A-Za-z0-9/+][A-Za-z0-9/+]{40}([^A-Za-z0-9/+=]|$)", SECRET_ICASE },
	{ "a Google API key", "AIza[0-9A-Za-z_-]{35}", 0 },
	{ "a Bearer token", WORD_START "bearer[[:blank:]]+[A-Za-z0-9._~+/=-]{16,}", SECRET_ICASE },
	{ "a URL with a password", "[A-Za-z][A-Za-z0-9+.-]*://[^/?#[:space:]:@]+:[^/?#[:space:]@]+@", 0 },
	{ "a PEM key body (base64 lines of 64 characters)", "[A-Za-z0-9+/]{64}[[:space:]]+[A-Za-z0-9+/]{64}", 0 },
	{ "a key or certificate file", "[A-Za-z0-9_-]\\.(p12|pfx|pem)([^A-Za-z0-9.]|$)", SECRET_ICASE | SECRET_RECEIPT },
	{ "a key or certificate file path", "\\.(p12|pfx|pem|key|jks|keystore)([?#].*)?$", SECRET_ICASE | SECRET_PATH_ONLY },
	{ "an archive or app package path",
	  "\\.(zip|tar|tgz|gz|bz2|xz|7z|rar|ipa|apk|aab)([?#].*)?$", SECRET_ICASE | SECRET_PATH_ONLY },
	{ "an archive or app package file", "[A-Za-z0-9_-]\\.(zip|ipa|apk|aab|tgz|7z|rar)([^A-Za-z0-9.]|$)",
	  SECRET_ICASE | SECRET_RECEIPT },
};

#define SECRET_ENTROPY_MIN_LEN 32 /* shorter tokens are words, ids and short hashes */
#define SECRET_ENTROPY_BITS 4.3   /* random base64 of 32+ characters is near 5; CamelCase names stay below 4 */
#define SECRET_CLASS_CHANGES 35   /* percent of characters whose class differs from the one before */
#define SECRET_B64_MIN_LEN 24     /* a wrapped token of fewer characters decodes to too little to hold a secret */
#define SECRET_B64_MAX 4096       /* longer base64 runs are not decoded */

#define SECRET_RULE_COUNT (sizeof secret_rules / sizeof secret_rules[0])

/* Compiled once and kept for the life of the process; static storage keeps LeakSanitizer quiet. */
static regex_t secret_regexes[SECRET_RULE_COUNT];
static bool secret_compiled;

/* Compiles one rule into its slot; a bad built-in pattern is a programming error, so abort. */
static void secret_compile_rule(size_t i)
{
	int cflags = REG_EXTENDED | REG_NOSUB;
	if (secret_rules[i].flags & SECRET_ICASE)
		cflags |= REG_ICASE;
	int rc = regcomp(&secret_regexes[i], secret_rules[i].pattern, cflags);
	if (rc == 0)
		return;
	char msg[256];
	regerror(rc, &secret_regexes[i], msg, sizeof msg);
	fprintf(stderr, "conveyor: bad secret pattern for %s: %s\n", secret_rules[i].label, msg);
	abort();
}

/* Compiles the whole rule table on first use. */
static void secret_compile_all(void)
{
	if (secret_compiled)
		return;
	for (size_t i = 0; i < SECRET_RULE_COUNT; i++)
		secret_compile_rule(i);
	secret_compiled = true;
}

/* Tells whether rule i applies to a value used as field. */
static bool secret_rule_applies(size_t i, enum secret_field field)
{
	if (field == SECRET_MESSAGE && (secret_rules[i].flags & SECRET_RECEIPT))
		return false;
	return field == SECRET_PATH || !(secret_rules[i].flags & SECRET_PATH_ONLY);
}

/* The label of the first table rule that matches text used as field, or NULL (no token heuristics). */
const char *secret_scan_table(const char *text, enum secret_field field)
{
	if (!text)
		return NULL;
	secret_compile_all();
	for (size_t i = 0; i < SECRET_RULE_COUNT; i++) {
		if (secret_rule_applies(i, field) && regexec(&secret_regexes[i], text, 0, NULL, 0) == 0)
			return secret_rules[i].label;
	}
	return NULL;
}

/* Whether c belongs to a token: base64 and URL-safe base64 characters. */
static bool secret_token_char(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' ||
	       c == '=' || c == '_' || c == '-';
}

/* Shannon entropy of the n bytes at t, in bits per byte. */
static double secret_entropy(const unsigned char *t, size_t n)
{
	unsigned counts[256] = {0};
	for (size_t i = 0; i < n; i++)
		counts[t[i]]++;
	double h = 0;
	for (int c = 0; c < 256; c++)
		if (counts[c]) {
			double p = (double)counts[c] / (double)n;
			h -= p * log2(p);
		}
	return h;
}

/* 0 for an upper case letter, 1 lower case, 2 digit, 3 anything else. */
static int secret_char_class(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? 0 : c >= 'a' && c <= 'z' ? 1 : c >= '0' && c <= '9' ? 2 : 3;
}

/* Whether a token of n bytes looks like a generated key: at least SECRET_ENTROPY_MIN_LEN long, with upper and
 * lower case letters and digits that change class often (random base62 changes at 62% of its characters,
 * CamelCase names only between words) and high entropy. UUIDs, hex digests and conveyor's own ids (lower case,
 * hex and hyphens) never qualify: they have no upper case letter. */
static bool secret_random_token(const unsigned char *t, size_t n)
{
	bool upper = false, lower = false, digit = false;
	size_t changes = 0;
	for (size_t i = 0; i < n; i++) {
		upper |= t[i] >= 'A' && t[i] <= 'Z';
		lower |= t[i] >= 'a' && t[i] <= 'z';
		digit |= t[i] >= '0' && t[i] <= '9';
		changes += i > 0 && secret_char_class(t[i]) != secret_char_class(t[i - 1]);
	}
	return n >= SECRET_ENTROPY_MIN_LEN && upper && lower && digit && changes * 100 >= n * SECRET_CLASS_CHANGES &&
	       secret_entropy(t, n) >= SECRET_ENTROPY_BITS;
}

/* The value of one base64 character (standard or URL-safe), or -1. */
static int secret_b64(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '+' || c == '-' ? 62 : c == '/' || c == '_' ? 63 : -1;
}

/* Decodes a base64 token into out (NUL-terminated) when it decodes to printable text; false otherwise. */
static bool secret_b64_text(const unsigned char *t, size_t n, char *out, size_t outlen)
{
	size_t o = 0;
	unsigned bits = 0, nbits = 0;
	for (size_t i = 0; i < n && t[i] != '='; i++) {
		int v = secret_b64(t[i]);
		if (v < 0)
			return false;
		bits = (bits << 6) | (unsigned)v;
		nbits += 6;
		if (nbits >= 8) {
			nbits -= 8;
			unsigned char c = (unsigned char)(bits >> nbits);
			bits &= (1u << nbits) - 1;
			if (o + 1 >= outlen || c < 0x20 || c >= 0x7f)
				return false;
			out[o++] = (char)c;
		}
	}
	out[o] = '\0';
	return o > 0;
}

/* Looks at every token of text: one that decodes from base64 to text holding a secret (a wrapped token), or one
 * that looks randomly generated (an unlabelled key) and is not base64 of plain text; returns that label or NULL. */
static const char *secret_scan_tokens(const char *text)
{
	const unsigned char *p = (const unsigned char *)text;
	while (*p) {
		while (*p && !secret_token_char(*p))
			p++;
		size_t n = 0;
		while (p[n] && secret_token_char(p[n]))
			n++;
		char decoded[SECRET_B64_MAX];
		bool text = n >= SECRET_B64_MIN_LEN && n < 2 * SECRET_B64_MAX &&
			    secret_b64_text(p, n, decoded, sizeof decoded);
		if (text && secret_scan_table(decoded, SECRET_TEXT))
			return "a base64-encoded secret";
		if (!text && secret_random_token(p, n))
			return "a high-entropy token (a generated key?)";
		p += n;
	}
	return NULL;
}

/* Returns the label of the first secret found in text used as field, or NULL: a rule of the table, then a
 * base64-wrapped secret or a random-looking token. */
const char *secret_scan(const char *text, enum secret_field field)
{
	if (!text)
		return NULL;
	const char *label = secret_scan_table(text, field);
	return label ? label : secret_scan_tokens(text);
}

/* Tells whether an object key names a file path ("path" or "file", any case). */
static bool secret_key_is_path(const char *key)
{
	return key && (strcasestr(key, "path") || strcasestr(key, "file"));
}

/* Scans one JSON value as field (defined below; objects and arrays recurse into it). */
static const char *secret_scan_node(const cJSON *node, enum secret_field field);

/* Scans an object's keys and values; each value's field comes from its own key. */
static const char *secret_scan_object(const cJSON *object)
{
	const cJSON *child;
	cJSON_ArrayForEach(child, object) {
		const char *label = secret_scan(child->string, SECRET_TEXT);
		if (!label)
			label = secret_scan_node(child, secret_key_is_path(child->string) ? SECRET_PATH : SECRET_TEXT);
		if (label)
			return label;
	}
	return NULL;
}

/* Scans an array's items; they inherit the field of the key the array sits under. */
static const char *secret_scan_array(const cJSON *array, enum secret_field field)
{
	const cJSON *item;
	cJSON_ArrayForEach(item, array) {
		const char *label = secret_scan_node(item, field);
		if (label)
			return label;
	}
	return NULL;
}

/* Scans one JSON value as field; numbers, booleans and nulls hold no secrets. */
static const char *secret_scan_node(const cJSON *node, enum secret_field field)
{
	if (cJSON_IsString(node))
		return secret_scan(node->valuestring, field);
	if (cJSON_IsObject(node))
		return secret_scan_object(node);
	if (cJSON_IsArray(node))
		return secret_scan_array(node, field);
	return NULL;
}

/* Returns the label of the first secret in a JSON tree's keys and string values, or NULL. */
const char *secret_scan_json(const cJSON *json)
{
	return secret_scan_node(json, SECRET_TEXT);
}
