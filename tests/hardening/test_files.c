/* test_files: the one text reader and the one atomic writer (src/util/textfile.c, atomic_file.c, utf8.c).
 *
 * Reading: a byte-order mark is accepted, surrogates, code points above U+10FFFF, overlong forms and NUL bytes are
 * refused at their line:col, and a FIFO, a directory or a symbolic link loop is refused at once with a message that
 * names it (a FIFO must never block).
 *
 * Writing, by fault injection: RLIMIT_FSIZE makes every write past N bytes fail with EFBIG (SIGXFSZ ignored), the
 * same failure a full disk gives at that point. For every N from 0 to the file's size, in a child process, a save
 * over an existing file must fail with a reason, leave the previous file byte for byte, and leave no temporary file;
 * with enough room it must succeed. The same is done through the real binary for --record and --trace (argv[1]). */
#include "util/atomic_file.h"
#include "util/textfile.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

enum { LIMIT = 1 << 16 };

static const char *lockstep_path;

/* ---------------------------------------------------------------- helpers */

static char *make_dir(void)
{
    char *dir = xstrdup("/tmp/lockstep-files-XXXXXX");
    assert_non_null(mkdtemp(dir));
    return dir;
}

static void remove_dir(char *dir)
{
    char *cmd = xasprintf("rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    free(dir);
}

static void put(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static char *get(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = xmalloc(1 << 22);
    *len = fread(buf, 1, 1 << 22, f);
    fclose(f);
    return buf;
}

static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

/* Read `data` written to a file; returns the error (status, line, col, message) or the text. */
static TextFileError read_bytes(const char *data, size_t len, char **text)
{
    char *dir = make_dir(), *path = xasprintf("%s/f.txt", dir);
    put(path, data, len);
    size_t n;
    TextFileError e;
    *text = textfile_read(path, "scenario", LIMIT, &n, &e);
    free(path);
    remove_dir(dir);
    return e;
}

static void expect_not_text(const char *data, size_t len, int line, int col, const char *mention)
{
    char *text;
    TextFileError e = read_bytes(data, len, &text);
    assert_null(text);
    if (e.status != TEXTFILE_NOT_TEXT || e.line != line || e.col != col || !strstr(e.message, mention))
        fail_msg("want %d:%d '%s', got status %d at %d:%d '%s'", line, col, mention, e.status, e.line, e.col,
                 e.message);
    free(e.message);
}

/* ---------------------------------------------------------------- reading */

static void test_utf8_rules(void **state)
{
    (void)state;
    expect_not_text("a\n\xed\xa0\x80\n", 6, 2, 1, "surrogate code point U+D800");
    expect_not_text("x \xf4\x90\x80\x80", 6, 1, 3, "above U+10FFFF");
    expect_not_text("\xf7\xbf\xbf\xbf", 4, 1, 1, "above U+10FFFF");
    expect_not_text("\xe0\x80\xaf", 3, 1, 1, "overlong");
    expect_not_text("\xc0\xaf", 2, 1, 1, "byte 0xc0");
    expect_not_text("ok\n\xe2\x82", 5, 2, 1, "byte 0xe2");
    expect_not_text("ab\ncd\0e", 7, 2, 3, "NUL byte");
    char *text;
    TextFileError e = read_bytes("\xef\xbb\xbfmain: \xf0\x9f\x98\x80 \xed\x9f\xbf", 17, &text);
    assert_non_null(text);
    assert_string_equal(text, "main: \xf0\x9f\x98\x80 \xed\x9f\xbf"); /* the BOM is dropped; U+D7FF is fine */
    assert_null(e.message);
    free(text);
}

static void test_lossy_copy(void **state)
{
    (void)state;
    char *s = utf8_lossy("caf\xe9-\xc3\xa9.lsc");
    assert_string_equal(s, "caf\xef\xbf\xbd-\xc3\xa9.lsc");
    free(s);
}

static void expect_unreadable(const char *path, const char *mention)
{
    size_t n;
    TextFileError e;
    char *text = textfile_read(path, "scenario", LIMIT, &n, &e);
    assert_null(text);
    if (e.status != TEXTFILE_UNREADABLE || !strstr(e.message, mention))
        fail_msg("%s: want '%s', got status %d '%s'", path, mention, e.status, e.message);
    free(e.message);
}

static void test_special_files(void **state)
{
    (void)state;
    char *dir = make_dir();
    char *fifo = xasprintf("%s/pipe.lsc", dir), *loop = xasprintf("%s/loop.lsc", dir);
    char *big = xasprintf("%s/big.lsc", dir), *missing = xasprintf("%s/none.lsc", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    assert_int_equal(symlink(loop, loop), 0);
    char *data = xcalloc(LIMIT + 1, 1);
    memset(data, 'a', LIMIT + 1);
    put(big, data, LIMIT + 1);
    alarm(10); /* a FIFO that blocks becomes SIGALRM */
    expect_unreadable(fifo, "is a FIFO (named pipe), not a scenario file");
    alarm(0);
    expect_unreadable(loop, "a loop of symbolic links");
    expect_unreadable(dir, "is a directory, not a scenario file");
    expect_unreadable(big, "too large");
    expect_unreadable(missing, "cannot read the scenario: no such file or directory");
    expect_unreadable("/dev/null", "is a device, not a scenario file");
    free(data), free(fifo), free(loop), free(big), free(missing);
    remove_dir(dir);
}

/* ---------------------------------------------------------------- writing under fault injection */

typedef bool (*SaveFn)(const char *path, void *ctx);

/* In a child limited to `room` bytes per file: 0 when the save succeeded, 1 when it failed with a reason, 2 when
 * it failed without one, 3 on anything else. */
static int save_with_room(SaveFn save, const char *path, void *ctx, rlim_t room)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        signal(SIGXFSZ, SIG_IGN);
        struct rlimit rl = {room, room};
        if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
            _exit(3);
        _exit(save(path, ctx) ? 0 : 1);
    }
    int ws;
    assert_int_equal(waitpid(pid, &ws, 0), pid);
    return WIFEXITED(ws) ? WEXITSTATUS(ws) : 3;
}

typedef struct Blob {
    const char *data;
    size_t len;
} Blob;

static bool save_blob(const char *path, void *ctx)
{
    const Blob *b = ctx;
    char *err = NULL;
    bool ok = atomic_file_write(path, b->data, b->len, &err);
    if (!ok && (!err || !strstr(err, "too large")))
        _exit(2); /* EFBIG: "file too large"; no other reason is right here */
    free(err);
    return ok;
}

static void test_atomic_write_every_failure_point(void **state)
{
    (void)state;
    char *dir = make_dir(), *path = xasprintf("%s/out.schedule", dir);
    const char old[] = "the previous file\n";
    char *fresh = xmalloc(20000);
    for (int i = 0; i < 20000; i++)
        fresh[i] = (char)('a' + i % 26);
    Blob b = {fresh, 20000};
    for (rlim_t room = 0; room < b.len; room += room < 64 ? 1 : 997) {
        put(path, old, sizeof old - 1);
        int rc = save_with_room(save_blob, path, &b, room);
        if (rc != 1)
            fail_msg("with room for %lu bytes: status %d", (unsigned long)room, rc);
        size_t n = 0;
        char *now = get(path, &n);
        assert_int_equal(n, sizeof old - 1);
        assert_memory_equal(now, old, n);
        free(now);
        assert_int_equal(count_entries(dir), 1); /* no temporary file left */
    }
    assert_int_equal(save_with_room(save_blob, path, &b, b.len), 0);
    size_t n = 0;
    char *now = get(path, &n);
    assert_int_equal(n, b.len);
    assert_memory_equal(now, fresh, n);
    free(now);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_true((st.st_mode & 0044) != 0 || (st.st_mode & 0600) == 0600); /* not left 0600 by mkstemp */
    assert_int_equal(count_entries(dir), 1);
    free(fresh), free(path);
    remove_dir(dir);
}

/* Through the binary: `run ... --record F` or `--trace F` with `room` bytes per file. */
typedef struct BinarySave {
    const char *option;
    const char *dir;
} BinarySave;

static bool save_by_binary(const char *path, void *ctx)
{
    const BinarySave *bs = ctx;
    char *errp = xasprintf("%s/../stderr-%d", bs->dir, (int)getpid());
    if (!freopen("/dev/null", "w", stdout) || !freopen(errp, "w", stderr))
        _exit(3);
    execl(lockstep_path, lockstep_path, "run", "race-counter", "--sched", "serial", "--seed", "3", "--steps", "400",
          bs->option, path, (char *)NULL);
    _exit(3);
}

static void test_binary_saves_are_atomic(void **state)
{
    (void)state;
    const char *options[] = {"--record", "--trace"};
    for (int k = 0; k < 2; k++) {
        char *dir = make_dir(), *sub = xasprintf("%s/out", dir), *path = xasprintf("%s/out/file", dir);
        assert_int_equal(mkdir(sub, 0700), 0);
        BinarySave bs = {options[k], sub};
        const char old[] = "previous\n";
        put(path, old, sizeof old - 1);
        int whole = save_with_room(save_by_binary, path, &bs, 1 << 24); /* the run's own status: 0 or 4 */
        assert_true(whole == 0 || whole == 4);
        size_t full = 0;
        free(get(path, &full));
        assert_true(full > 100);
        for (rlim_t room = 0; room < full; room += room < 16 ? 1 : full / 7) {
            put(path, old, sizeof old - 1);
            int rc = save_with_room(save_by_binary, path, &bs, room);
            if (rc != 1) /* exit status 1: a file that cannot be written */
                fail_msg("%s with room for %lu of %zu bytes: status %d", options[k], (unsigned long)room, full, rc);
            size_t n = 0;
            char *now = get(path, &n);
            assert_int_equal(n, sizeof old - 1);
            assert_memory_equal(now, old, n);
            free(now);
            assert_int_equal(count_entries(sub), 1);
        }
        free(sub), free(path);
        remove_dir(dir);
    }
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_files PATH_TO_LOCKSTEP\n");
        return 1;
    }
    lockstep_path = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_rules),
        cmocka_unit_test(test_lossy_copy),
        cmocka_unit_test(test_special_files),
        cmocka_unit_test(test_atomic_write_every_failure_point),
        cmocka_unit_test(test_binary_saves_are_atomic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
