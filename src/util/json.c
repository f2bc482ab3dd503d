/* Sorted-key JSON writer (pretty and compact) and parsing of user-supplied JSON, over cJSON trees. */
#include "util/json.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/utf8.h"

/* Appends the body of a JSON string from p: safe ASCII runs are copied, control characters, DEL and C1 are
 * \u-escaped, invalid UTF-8 becomes U+FFFD. With raw set, p is already-escaped JSON text: backslash escapes are
 * copied as they are and an unescaped '"' ends the string. Returns where it stopped. */
static const char *json_escape(struct sb *out, const char *s, int raw)
{
	static const char hex[] = "0123456789abcdef";
	static unsigned char safe[256];
	if (!safe['a'])
		for (int c = 0x20; c < 0x7F; c++)
			safe[c] = c != '"' && c != '\\';
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		const unsigned char *run = p;
		while (safe[*p])
			p++;
		if (p > run)
			sb_addn(out, (const char *)run, (size_t)(p - run));
		if (!*p || (raw && *p == '"'))
			break;
		if (raw && *p == '\\' && p[1]) {
			sb_addn(out, (const char *)p, 2);
			p += 2;
			continue;
		}
		size_t n = utf8_seq_len(p);
		unsigned int cp = 0;
		if (n == 1)
			cp = *p;
		else if (n == 2 && p[0] == 0xC2 && p[1] < 0xA0)
			cp = p[1];
		if (n == 0) {
			sb_adds(out, "\xEF\xBF\xBD");
			p++;
			continue;
		}
		if (n > 1 && cp == 0) {
			sb_addn(out, (const char *)p, n);
			p += n;
			continue;
		}
		p += n;
		switch (cp) {
		case '"': sb_adds(out, "\\\""); break;
		case '\\': sb_adds(out, "\\\\"); break;
		case '\b': sb_adds(out, "\\b"); break;
		case '\f': sb_adds(out, "\\f"); break;
		case '\n': sb_adds(out, "\\n"); break;
		case '\r': sb_adds(out, "\\r"); break;
		case '\t': sb_adds(out, "\\t"); break;
		default: {
			char esc[7] = {'\\', 'u', '0', '0', hex[(cp >> 4) & 0xF], hex[cp & 0xF], 0};
			sb_adds(out, esc);
		}
		}
	}
	return (const char *)p;
}

/* Appends s as a JSON string literal (see json_escape for what is escaped). */
void json_write_str(struct sb *out, const char *s)
{
	sb_addc(out, '"');
	json_escape(out, s ? s : "", 0);
	sb_addc(out, '"');
}

/* Appends a finite non-integer (or huge) number as JavaScript's Number.prototype.toString does: the shortest
 * round-trip digits, in plain notation for decimal exponents -6..20 and in d.ddde±n notation otherwise. */
static void json_write_js_number(struct sb *out, double d)
{
	char buf[40], digits[24];
	int prec;
	for (prec = 1; prec <= 17; prec++) {
		snprintf(buf, sizeof buf, "%.*e", prec - 1, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	const char *p = buf;
	if (*p == '-') {
		sb_addc(out, '-');
		p++;
	}
	int k = 0;
	for (; *p && *p != 'e'; p++)
		if (*p != '.')
			digits[k++] = *p;
	while (k > 1 && digits[k - 1] == '0')
		k--;
	digits[k] = '\0';
	int n = atoi(p + 1) + 1;
	if (k <= n && n <= 21) {
		sb_adds(out, digits);
		for (int i = k; i < n; i++)
			sb_addc(out, '0');
	} else if (0 < n && n <= 21) {
		sb_addn(out, digits, (size_t)n);
		sb_addc(out, '.');
		sb_adds(out, digits + n);
	} else if (-6 < n && n <= 0) {
		sb_adds(out, "0.");
		for (int i = n; i < 0; i++)
			sb_addc(out, '0');
		sb_adds(out, digits);
	} else {
		sb_addc(out, digits[0]);
		if (k > 1) {
			sb_addc(out, '.');
			sb_adds(out, digits + 1);
		}
		sb_addf(out, "e%c%d", n - 1 < 0 ? '-' : '+', abs(n - 1));
	}
}

/* Appends a number as JSON.stringify does: null for NaN/Infinity, integers exactly, others via JS formatting. */
void json_write_num(struct sb *out, double d)
{
	if (!isfinite(d)) {
		sb_adds(out, "null");
	} else if (d == floor(d) && fabs(d) <= 9007199254740992.0) {
		sb_addf(out, "%.0f", d == 0 ? 0.0 : d);
	} else {
		json_write_js_number(out, d);
	}
}

/* qsort comparator: object members by key, byte order. */
static int json_member_cmp(const void *a, const void *b)
{
	const cJSON *x = *(const cJSON *const *)a;
	const cJSON *y = *(const cJSON *const *)b;
	return strcmp(x->string, y->string);
}

/* Appends a newline and the indentation for depth in pretty layout (nothing in compact layout). */
void json_newline(struct sb *out, enum json_layout layout, int depth)
{
	if (layout != JSON_PRETTY)
		return;
	sb_reserve(out, (size_t)depth * 2 + 1);
	out->buf[out->len++] = '\n';
	memset(out->buf + out->len, ' ', (size_t)depth * 2);
	out->len += (size_t)depth * 2;
	out->buf[out->len] = '\0';
}

static void json_write_at(struct sb *out, const cJSON *item, enum json_layout layout, int depth);

/* Appends an object with its members in sorted key order. */
static void json_write_object(struct sb *out, const cJSON *obj, enum json_layout layout, int depth)
{
	size_t n = 0;
	for (const cJSON *c = obj->child; c; c = c->next)
		n++;
	if (n == 0) {
		sb_adds(out, "{}");
		return;
	}
	const cJSON *small[32];
	const cJSON **kids = n <= 32 ? small : malloc(n * sizeof *kids);
	if (!kids)
		abort();
	size_t i = 0;
	int sorted = 1;
	for (const cJSON *c = obj->child; c; c = c->next, i++) {
		kids[i] = c;
		if (i > 0 && strcmp(kids[i - 1]->string, c->string) > 0)
			sorted = 0;
	}
	if (!sorted)
		qsort(kids, n, sizeof *kids, json_member_cmp);
	sb_addc(out, '{');
	for (i = 0; i < n; i++) {
		if (i)
			sb_addc(out, ',');
		json_newline(out, layout, depth + 1);
		json_write_str(out, kids[i]->string);
		sb_adds(out, layout == JSON_PRETTY ? ": " : ":");
		json_write_at(out, kids[i], layout, depth + 1);
	}
	json_newline(out, layout, depth);
	sb_addc(out, '}');
	if (kids != small)
		free(kids);
}

/* Appends an array, one element per line in pretty layout. */
static void json_write_array(struct sb *out, const cJSON *arr, enum json_layout layout, int depth)
{
	if (!arr->child) {
		sb_adds(out, "[]");
		return;
	}
	sb_addc(out, '[');
	for (const cJSON *c = arr->child; c; c = c->next) {
		if (c != arr->child)
			sb_addc(out, ',');
		json_newline(out, layout, depth + 1);
		json_write_at(out, c, layout, depth + 1);
	}
	json_newline(out, layout, depth);
	sb_addc(out, ']');
}

/* Whether c is JSON insignificant whitespace. */
static int json_is_space(char c)
{
	return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

/* Appends already-serialised JSON text (a stored column, or a raw node laid out for another depth) as
 * json_write would print it at depth: whitespace per layout, strings re-escaped by json_escape's rules.
 * Object keys and number spellings are kept: the producers write them sorted and in JavaScript form. */
void json_write_text(struct sb *out, const char *p, enum json_layout layout, int depth)
{
	while (*p) {
		char c = *p;
		if (json_is_space(c)) {
			p++;
		} else if (c == '"') {
			sb_addc(out, '"');
			p = json_escape(out, p + 1, 1);
			sb_addc(out, '"');
			if (*p)
				p++;
		} else if (c == '{' || c == '[') {
			const char *q = p + 1;
			while (json_is_space(*q))
				q++;
			sb_addc(out, c);
			if (*q == (c == '{' ? '}' : ']')) {
				sb_addc(out, *q);
				p = q + 1;
			} else {
				json_newline(out, layout, ++depth);
				p++;
			}
		} else if (c == '}' || c == ']') {
			json_newline(out, layout, --depth);
			sb_addc(out, c);
			p++;
		} else if (c == ',') {
			sb_addc(out, ',');
			json_newline(out, layout, depth);
			p++;
		} else if (c == ':') {
			sb_adds(out, layout == JSON_PRETTY ? ": " : ":");
			p++;
		} else {
			const char *start = p;
			while (*p && !json_is_space(*p) && !strchr(",:{}[]\"", *p))
				p++;
			sb_addn(out, start, (size_t)(p - start));
		}
	}
}

/* Appends any JSON value at the given nesting depth. */
static void json_write_at(struct sb *out, const cJSON *item, enum json_layout layout, int depth)
{
	switch (item->type & 0xFF) {
	case cJSON_False: sb_adds(out, "false"); break;
	case cJSON_True: sb_adds(out, "true"); break;
	case cJSON_Number: json_write_num(out, item->valuedouble); break;
	case cJSON_String: json_write_str(out, item->valuestring); break;
	case cJSON_Raw:
		if (layout == JSON_PRETTY && item->valueint == depth + 1)
			sb_add_large(out, item->valuestring, strlen(item->valuestring));
		else
			json_write_text(out, item->valuestring ? item->valuestring : "null", layout, depth);
		break;
	case cJSON_Array: json_write_array(out, item, layout, depth); break;
	case cJSON_Object: json_write_object(out, item, layout, depth); break;
	default: sb_adds(out, "null"); break;
	}
}

/* Appends item as JSON with object keys sorted recursively (SPEC 0.3); no trailing newline. */
void json_write(struct sb *out, const cJSON *item, enum json_layout layout)
{
	json_write_at(out, item, layout, 0);
}

/* Returns the compact sorted-key form used for stored JSON columns (caller frees). */
char *json_compact(const cJSON *item)
{
	struct sb sb;
	sb_init(&sb);
	json_write(&sb, item, JSON_COMPACT);
	return sb_take(&sb);
}

/* Drops earlier duplicates of an object key, recursively, so the last one wins as in JSON.parse. */
static void json_dedupe(cJSON *item)
{
	for (cJSON *c = item->child; c; c = c->next)
		json_dedupe(c);
	if (!cJSON_IsObject(item))
		return;
	cJSON *c = item->child;
	while (c) {
		cJSON *next = c->next;
		for (cJSON *later = next; later; later = later->next) {
			if (strcmp(later->string, c->string) == 0) {
				cJSON_Delete(cJSON_DetachItemViaPointer(item, c));
				break;
			}
		}
		c = next;
	}
}

/* Parses a complete JSON text of any type; NULL if it is not valid JSON. */
cJSON *json_parse_any(const char *text)
{
	const char *end = NULL;
	cJSON *v = cJSON_ParseWithOpts(text, &end, 1);
	if (v)
		json_dedupe(v);
	return v;
}

/* Offset of the first thing cJSON tolerates but JSON forbids (a number with a leading zero, a bare '.' or
 * exponent, a raw control character inside a string), or -1 when there is none. */
static long json_strict_offence(const char *text)
{
	const char *p = text;
	while (*p) {
		if (*p == '"') {
			for (p++; *p && *p != '"'; p++) {
				if ((unsigned char)*p < 0x20)
					return p - text;
				if (*p == '\\' && p[1])
					p++;
			}
			p += *p == '"';
		} else if (*p == '-' || isdigit((unsigned char)*p)) {
			p += *p == '-';
			if (*p == '0') {
				if (isdigit((unsigned char)*++p))
					return p - text;
			} else if (isdigit((unsigned char)*p)) {
				while (isdigit((unsigned char)*p))
					p++;
			} else {
				return p - text;
			}
			if (*p == '.' && !isdigit((unsigned char)*++p))
				return p - text;
			while (isdigit((unsigned char)*p))
				p++;
			if (*p == 'e' || *p == 'E') {
				p++;
				p += *p == '+' || *p == '-';
				if (!isdigit((unsigned char)*p))
					return p - text;
				while (isdigit((unsigned char)*p))
					p++;
			}
		} else {
			p++;
		}
	}
	return -1;
}

/* Parses text that must be a JSON object; on failure returns NULL and writes the reason ("" means valid JSON but not an object). */
cJSON *json_parse_object(const char *text, char *detail, size_t detail_len)
{
	const char *end = NULL;
	long offence = json_strict_offence(text);
	cJSON *v = offence < 0 ? cJSON_ParseWithOpts(text, &end, 1) : NULL;
	if (!v) {
		size_t at = offence >= 0 ? (size_t)offence : end ? (size_t)(end - text) : 0;
		snprintf(detail, detail_len, "unexpected input at position %zu", at);
		return NULL;
	}
	if (!cJSON_IsObject(v)) {
		cJSON_Delete(v);
		detail[0] = '\0';
		return NULL;
	}
	json_dedupe(v);
	return v;
}

/* Wraps the JSON text accumulated in sb as a cJSON Raw node without copying it (sb is left empty). When the
 * text was written in pretty layout for pretty_depth (>= 0), json_write copies it verbatim at that depth;
 * anywhere else (or with -1) it is re-laid out. */
cJSON *json_raw_take(struct sb *sb, int pretty_depth)
{
	cJSON *raw = cJSON_CreateRaw("");
	cJSON_free(raw->valuestring);
	size_t len = sb->len;
	char *text = sb_take(sb);
	char *fitted = realloc(text, len + 1);
	raw->valuestring = fitted ? fitted : text;
	raw->valueint = pretty_depth + 1;
	return raw;
}

/* A string member of obj, or NULL when missing or JSON null. */
const char *json_str(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* An integer member of obj, or 0 when missing or not a number. */
int json_int(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsNumber(v) ? v->valueint : 0;
}

/* Adds key: value to obj, with JSON null when value is NULL. */
void json_add_str(cJSON *obj, const char *key, const char *value)
{
	if (value)
		cJSON_AddStringToObject(obj, key, value);
	else
		cJSON_AddNullToObject(obj, key);
}
