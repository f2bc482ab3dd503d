/* Secret detector: one table of POSIX ERE patterns, one scanner, and a JSON walker over it. */
#include "core/base/secret.h"

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
	{ "an OpenAI API key", WORD_START "sk-[A-Za-z0-9_-]{20,}", 0 },
	{ "a GitHub token", "gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,}", 0 },
	{ "a Slack token", "xox[a-z]-[A-Za-z0-9-]{10,}", 0 },
	{ "an AWS access key id", WORD_START "(AKIA|ASIA)[0-9A-Z]{16}", 0 },
	{ "a Google API key", "AIza[0-9A-Za-z_-]{35}", 0 },
	{ "a Bearer token", WORD_START "bearer[[:blank:]]+[A-Za-z0-9._~+/=-]{16,}", SECRET_ICASE },
	{ "an archive or app package path",
	  "\\.(zip|tar|tgz|gz|bz2|xz|7z|rar|ipa|apk|aab)([?#].*)?$", SECRET_ICASE | SECRET_PATH_ONLY },
};

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
	return field == SECRET_PATH || !(secret_rules[i].flags & SECRET_PATH_ONLY);
}

/* Returns the label of the first rule that matches text used as field, or NULL. */
const char *secret_scan(const char *text, enum secret_field field)
{
	if (!text)
		return NULL;
	secret_compile_all();
	for (size_t i = 0; i < SECRET_RULE_COUNT; i++) {
		if (secret_rule_applies(i, field) &&
		    regexec(&secret_regexes[i], text, 0, NULL, 0) == 0)
			return secret_rules[i].label;
	}
	return NULL;
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
