/* Sorted-key JSON writer (pretty and compact) and parsing of user-supplied JSON, over cJSON trees. */
#include "util/json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/utf8.h"

/* Appends s as a JSON string literal; control characters, DEL and C1 are \u-escaped, invalid UTF-8 becomes U+FFFD. */
static void json_write_string(struct sb *out, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	sb_addc(out, '"');
	while (*p) {
		const unsigned char *run = p;
		while (*p >= 0x20 && *p < 0x7F && *p != '"' && *p != '\\')
			p++;
		if (p > run)
			sb_addn(out, (const char *)run, (size_t)(p - run));
		if (!*p)
			break;
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
	sb_addc(out, '"');
}

/* Appends a number the way JavaScript prints it for the values conveyor handles (integers plainly, others shortest round-trip). */
static void json_write_number(struct sb *out, double d)
{
	char buf[40];
	if (!isfinite(d)) {
		sb_adds(out, "null");
		return;
	}
	if (d == floor(d) && fabs(d) < 1e21) {
		snprintf(buf, sizeof buf, "%.0f", d);
		sb_adds(out, strcmp(buf, "-0") == 0 ? "0" : buf);
		return;
	}
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, sizeof buf, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	sb_adds(out, buf);
}

/* qsort comparator: object members by key, byte order. */
static int json_member_cmp(const void *a, const void *b)
{
	const cJSON *x = *(const cJSON *const *)a;
	const cJSON *y = *(const cJSON *const *)b;
	return strcmp(x->string, y->string);
}

/* Appends a newline and the indentation for depth in pretty layout. */
static void json_indent(struct sb *out, enum json_layout layout, int depth)
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
		json_indent(out, layout, depth + 1);
		json_write_string(out, kids[i]->string);
		sb_adds(out, layout == JSON_PRETTY ? ": " : ":");
		json_write_at(out, kids[i], layout, depth + 1);
	}
	json_indent(out, layout, depth);
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
		json_indent(out, layout, depth + 1);
		json_write_at(out, c, layout, depth + 1);
	}
	json_indent(out, layout, depth);
	sb_addc(out, ']');
}

/* Appends any JSON value at the given nesting depth. */
static void json_write_at(struct sb *out, const cJSON *item, enum json_layout layout, int depth)
{
	switch (item->type & 0xFF) {
	case cJSON_False: sb_adds(out, "false"); break;
	case cJSON_True: sb_adds(out, "true"); break;
	case cJSON_Number: json_write_number(out, item->valuedouble); break;
	case cJSON_String: json_write_string(out, item->valuestring); break;
	case cJSON_Raw: sb_adds(out, item->valuestring ? item->valuestring : "null"); break;
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

/* Parses text that must be a JSON object; on failure returns NULL and writes the reason ("" means valid JSON but not an object). */
cJSON *json_parse_object(const char *text, char *detail, size_t detail_len)
{
	const char *end = NULL;
	cJSON *v = cJSON_ParseWithOpts(text, &end, 1);
	if (!v) {
		size_t at = end ? (size_t)(end - text) : 0;
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

/* Adds key: value to obj, with JSON null when value is NULL. */
void json_add_str(cJSON *obj, const char *key, const char *value)
{
	if (value)
		cJSON_AddStringToObject(obj, key, value);
	else
		cJSON_AddNullToObject(obj, key);
}
