/* Fuzz target: hostile text through the secret detector (as free text and as a path, and as JSON when it parses)
 * and through the two terminal-safe appenders. What is checked besides the sanitizers: a secret found in text is
 * found (the same one) in a path; sb_add_clean's output holds no C0 control, DEL or C1 character and
 * sb_add_visible's none either (it shows them as \xNN, made of printable bytes); both outputs are valid UTF-8. */
#include "core/base/secret.h"
#include "fuzz.h"
#include "util/json.h"
#include "util/sb.h"
#include "util/utf8.h"

/* Checks that out is valid UTF-8 with no C0 control character, no DEL and no C1 control character. */
static void fuzz_terminal_safe(const struct sb *out)
{
	const unsigned char *p = (const unsigned char *)(out->buf ? out->buf : "");
	FUZZ_CHECK(strlen((const char *)p) == out->len);
	while (*p) {
		size_t n = utf8_seq_len(p);
		FUZZ_CHECK(n > 0);
		FUZZ_CHECK(*p >= 0x20 && *p != 0x7F);
		FUZZ_CHECK(!(n == 2 && p[0] == 0xC2 && p[1] < 0xA0));
		p += n;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);

	/* A path is checked with every rule a text is, and more: whatever a text scan finds, a path scan finds too
	 * (a path-only rule may name it more precisely: "an archive or app package path"); a message is checked
	 * with fewer, so what it finds a text scan finds. */
	const char *as_text = secret_scan(text, SECRET_TEXT);
	const char *as_path = secret_scan(text, SECRET_PATH);
	const char *as_message = secret_scan(text, SECRET_MESSAGE);
	FUZZ_CHECK(!as_text || as_path);
	FUZZ_CHECK(!as_message || as_text);

	cJSON *json = json_parse_any(text);
	if (json) {
		const char *label = secret_scan_json(json);
		/* A JSON string is scanned as free text: whatever it hides, the scan of its value finds. */
		if (cJSON_IsString(json)) {
			const char *direct = secret_scan(json->valuestring, SECRET_TEXT);
			FUZZ_CHECK((label == NULL) == (direct == NULL));
		}
		cJSON_Delete(json);
	}

	struct sb clean, visible;
	sb_init(&clean);
	sb_init(&visible);
	sb_add_clean(&clean, text);
	sb_add_visible(&visible, text);
	fuzz_terminal_safe(&clean);
	fuzz_terminal_safe(&visible);
	/* Nothing is dropped from the visible form: it is at least as long as the input up to its first NUL. */
	FUZZ_CHECK(visible.len >= strlen(text));
	sb_free(&clean);
	sb_free(&visible);

	free(text);
	return 0;
}
