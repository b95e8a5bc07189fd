// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Crash containment. libkdumpfile 0.5.1 can crash on hostile dumps, and a
 * CI gate must then get one clear line and exit 2, not a core dump or half
 * a report. So the analysis runs in a child process that writes its whole
 * result into a pipe and exits; the parent prints it only if the child
 * ended normally and within the time limit.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdarg.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sdei-vmcore.h"
#include "cli.h"

/*
 * The pipe carries: MAGIC, the status (u32), three blobs (u64 length,
 * UINT64_MAX for none, then the bytes: out, junit, error), then END. A
 * result without END was cut short, whatever the exit status says.
 */
static const char MAGIC[8] = "SDEIRES1";
static const char END[4] = "END!";

void cli_result_deinit(struct cli_result *res)
{
	free(res->out);
	free(res->junit);
	free(res->error);
	memset(res, 0, sizeof(*res));
}

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int write_blob(int fd, const char *buf, size_t len)
{
	uint64_t n = buf ? len : UINT64_MAX;

	if (write_all(fd, &n, sizeof(n)))
		return -1;
	return buf ? write_all(fd, buf, len) : 0;
}

static int write_result(int fd, const struct cli_result *res)
{
	uint32_t status = (uint32_t)res->status;

	if (write_all(fd, MAGIC, sizeof(MAGIC)) ||
	    write_all(fd, &status, sizeof(status)) ||
	    write_blob(fd, res->out, res->out_len) ||
	    write_blob(fd, res->junit, res->junit_len) ||
	    write_blob(fd, res->error, res->error ? strlen(res->error) : 0) ||
	    write_all(fd, END, sizeof(END)))
		return -1;
	return 0;
}

struct reader {
	const char *p;
	size_t left;
};

static int take(struct reader *r, void *dst, size_t len)
{
	if (r->left < len)
		return -1;
	memcpy(dst, r->p, len);
	r->p += len;
	r->left -= len;
	return 0;
}

/* A blob comes back NUL-terminated, so the error can be used as a string. */
static int take_blob(struct reader *r, char **ret, size_t *len_ret)
{
	uint64_t n;

	*ret = NULL;
	if (take(r, &n, sizeof(n)))
		return -1;
	if (n == UINT64_MAX)
		return 0;
	if (n > r->left)
		return -1;
	*ret = malloc(n + 1);
	if (!*ret)
		return -1;
	take(r, *ret, n);
	(*ret)[n] = '\0';
	if (len_ret)
		*len_ret = n;
	return 0;
}

static int read_result(const char *buf, size_t len, struct cli_result *res)
{
	struct reader r = { buf, len };
	char magic[sizeof(MAGIC)], end[sizeof(END)];
	uint32_t status;

	if (take(&r, magic, sizeof(magic)) ||
	    memcmp(magic, MAGIC, sizeof(MAGIC)) ||
	    take(&r, &status, sizeof(status)))
		return -1;
	res->status = (int)status;
	if (take_blob(&r, &res->out, &res->out_len) ||
	    take_blob(&r, &res->junit, &res->junit_len) ||
	    take_blob(&r, &res->error, NULL) ||
	    take(&r, end, sizeof(end)) || memcmp(end, END, sizeof(END)) ||
	    r.left) {
		cli_result_deinit(res);
		return -1;
	}
	return 0;
}

static char *message(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static char *message(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	return n < 0 ? NULL : s;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void run_child(int fd, cli_job_fn *fn, void *arg)
{
	struct cli_result res = { 0 };

	/* a parent that gave up must not turn into a signal death here */
	signal(SIGPIPE, SIG_IGN);
	fn(arg, &res);
	if (write_result(fd, &res))
		_exit(3);
	close(fd);
	cli_result_deinit(&res);
	/* exit(), not _exit(): sanitizers check for leaks at exit */
	exit(0);
}

/*
 * Reads the child's pipe to EOF within the deadline. Returns 0, 1 on
 * timeout, -1 (errno) on failure.
 */
static int read_pipe(int fd, int64_t deadline, char **buf_ret,
		     size_t *len_ret)
{
	size_t len = 0, alloc = 0;
	char *buf = NULL;

	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int timeout = -1;
		ssize_t n;
		int ret;

		if (deadline >= 0) {
			int64_t left = deadline - now_ms();

			timeout = left > 0 ? (int)(left < INT32_MAX ? left :
						   INT32_MAX) : 0;
		}
		ret = poll(&pfd, 1, timeout);
		if (ret < 0 && errno == EINTR)
			continue;
		if (ret < 0)
			goto fail;
		if (ret == 0) {
			free(buf);
			return 1;
		}
		if (len == alloc) {
			size_t new_alloc = alloc ? alloc * 2 : 65536;
			char *p = realloc(buf, new_alloc);

			if (!p)
				goto fail;
			buf = p;
			alloc = new_alloc;
		}
		n = read(fd, buf + len, alloc - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		if (n == 0)
			break;
		len += (size_t)n;
	}
	*buf_ret = buf;
	*len_ret = len;
	return 0;
fail:
	free(buf);
	return -1;
}

static char *wait_child(const char *what, pid_t pid, int fd,
			unsigned int timeout, struct cli_result *res);

int cli_contain(const char *what, cli_job_fn *fn, void *arg,
		unsigned int timeout, struct cli_result *res, char **err_ret)
{
	const char *no_fork = getenv("SDEI_VMCORE_NO_FORK");
	int fds[2];
	pid_t pid;

	*err_ret = NULL;
	memset(res, 0, sizeof(*res));
	if (no_fork && !strcmp(no_fork, "1")) {
		fn(arg, res);
		goto out;
	}

	if (pipe(fds)) {
		*err_ret = message("cannot create a pipe: %s", strerror(errno));
		return -1;
	}
	/* what the child inherits in stdio buffers it would print again */
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		*err_ret = message("cannot fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		close(fds[0]);
		run_child(fds[1], fn, arg);
	}
	close(fds[1]);
	*err_ret = wait_child(what, pid, fds[0], timeout, res);
	close(fds[0]);
out:
	/* neither output nor error: only out-of-memory gets here */
	if (*err_ret || (!res->out && !res->error)) {
		cli_result_deinit(res);
		return -1;
	}
	return 0;
}

/* NULL when @res holds a complete result, else the message */
static char *wait_child(const char *what, pid_t pid, int fd,
			unsigned int timeout, struct cli_result *res)
{
	int64_t deadline = -1;
	char *buf = NULL, *err;
	size_t len = 0;
	int status, ret;

	if (timeout)
		deadline = now_ms() + (int64_t)timeout * 1000;
	ret = read_pipe(fd, deadline, &buf, &len);
	if (ret == 1) {
		kill(pid, SIGKILL);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		return message("analysis of '%s' timed out after %u s", what,
			       timeout);
	}
	if (ret < 0) {
		err = message("cannot read the result of analysing '%s': %s",
			      what, strerror(errno));
		kill(pid, SIGKILL);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		return err;
	}
	/*
	 * EOF came, but a child that closed its end can still hang in exit
	 * handlers: the deadline holds until it has been reaped.
	 */
	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG);

		if (w == pid)
			break;
		if (w < 0 && errno != EINTR) {
			free(buf);
			return message("cannot wait for the analysis of '%s': %s",
				       what, strerror(errno));
		}
		if (deadline >= 0 && now_ms() >= deadline) {
			free(buf);
			kill(pid, SIGKILL);
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
			return message("analysis of '%s' timed out after %u s",
				       what, timeout);
		}
		usleep(1000);
	}
	if (WIFSIGNALED(status)) {
		free(buf);
		return message("analysis of '%s' crashed (signal %d)", what,
			       WTERMSIG(status));
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		free(buf);
		/* sanitizers report on stderr and exit non-zero */
		return message("analysis of '%s' crashed (exit status %d)",
			       what, WIFEXITED(status) ?
			       WEXITSTATUS(status) : -1);
	}
	ret = read_result(buf, len, res);
	free(buf);
	if (ret)
		return message("analysis of '%s' ended without a complete result",
			       what);
	return NULL;
}
