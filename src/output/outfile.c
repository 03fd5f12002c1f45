#define _GNU_SOURCE
#include "output/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "core/text.h"

#define MAX_LINKS 40 /* the kernel's own limit before ELOOP */

static int refuse(const struct hs_outfile *o, const char *what, int e,
		  char *err, size_t errlen)
{
	snprintf(err, errlen, "--output %s: %s%s%s", o->name, what,
		 what[0] ? ": " : "", strerror(e));
	return -1;
}

/* The stream's writes: the first error's errno is kept, because stdio
 * reports a failed write only later, through ferror, when errno may
 * say something else. */
static ssize_t stream_write(void *cookie, const char *buf, size_t len)
{
	struct hs_outfile *o = cookie;
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		n = write(o->fd, buf + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (!o->write_errno)
				o->write_errno = n < 0 ? errno : EIO;
			return done ? (ssize_t)done : -1;
		}
		done += (size_t)n;
	}
	return (ssize_t)done;
}

static int stream_close(void *cookie)
{
	struct hs_outfile *o = cookie;

	if (o->fd == STDOUT_FILENO || close(o->fd) == 0)
		return 0;
	if (!o->write_errno)
		o->write_errno = errno;
	return -1;
}

/* fd becomes o's (and is closed with it), except standard output. */
static int open_stream(struct hs_outfile *o, int fd)
{
	static const cookie_io_functions_t io = {
		.write = stream_write,
		.close = stream_close,
	};

	o->fd = fd;
	o->fp = fopencookie(o, "w", io);
	if (o->fp)
		return 0;
	if (fd != STDOUT_FILENO)
		close(fd);
	return -1;
}

/* The same file as standard output (/dev/stdout, /proc/self/fd/1...):
 * write into that, whatever it is. */
static bool is_stdout(const struct stat *st)
{
	struct stat so;

	return fstat(STDOUT_FILENO, &so) == 0 && so.st_dev == st->st_dev &&
	       so.st_ino == st->st_ino;
}

/* A socket file cannot be open()ed: connect to it as a stream.  -1 and
 * errno on failure, as open(). */
static int connect_socket(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, e;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		e = errno;
		close(fd);
		errno = e;
		fd = -1;
	}
	return fd;
}

/* Devices, FIFOs, sockets and standard output are written in place:
 * replacing them would break what they are. */
static int open_direct(struct hs_outfile *o, const struct stat *st,
		       char *err, size_t errlen)
{
	int fd;

	if (is_stdout(st))
		fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
	else if (S_ISSOCK(st->st_mode))
		fd = connect_socket(o->path);
	else
		fd = open(o->path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
	if (fd < 0 || open_stream(o, fd) < 0)
		return refuse(o, "", errno, err, errlen);
	return 0;
}

/* A name not taken yet, perhaps through dangling symbolic links: the
 * file to create is where the last link points. */
static int follow_links(const char *path, char *out, size_t outlen)
{
	char link[PATH_MAX], next[PATH_MAX];
	struct stat st;
	const char *slash;
	ssize_t n;
	int i;

	if ((size_t)snprintf(out, outlen, "%s", path) >= outlen)
		return -ENAMETOOLONG;
	for (i = 0; i < MAX_LINKS; i++) {
		if (lstat(out, &st) < 0)
			return errno == ENOENT ? 0 : -errno;
		if (!S_ISLNK(st.st_mode))
			return -EEXIST; /* created meanwhile */
		n = readlink(out, link, sizeof(link) - 1);
		if (n < 0)
			return -errno;
		link[n] = '\0';
		slash = strrchr(out, '/');
		if (link[0] == '/' || !slash)
			n = snprintf(next, sizeof(next), "%s", link);
		else
			n = snprintf(next, sizeof(next), "%.*s/%s",
				     (int)(slash - out), out, link);
		if ((size_t)n >= sizeof(next) || (size_t)n >= outlen)
			return -ENAMETOOLONG;
		memcpy(out, next, (size_t)n + 1);
	}
	return -ELOOP;
}

/* The replacement gets the old file's permission bits (never set-id
 * bits: a report is not a program) and its owner where permitted. */
static void take_mode(int fd, const struct stat *old)
{
	mode_t mask;

	if (!old) { /* mkstemp makes it private: give it a new file's mode */
		mask = umask(0);
		umask(mask);
		fchmod(fd, 0666 & ~mask);
		return;
	}
	if (fchown(fd, old->st_uid, old->st_gid) < 0 &&
	    fchown(fd, (uid_t)-1, old->st_gid) < 0) {
		/* not permitted: the new file is ours, as the shell's is */
	}
	fchmod(fd, old->st_mode & 0777);
}

static int open_replacement(struct hs_outfile *o, const struct stat *old,
			    char *err, size_t errlen)
{
	int fd;

	if ((size_t)snprintf(o->tmp, sizeof(o->tmp), "%s.XXXXXX",
			     o->target) >= sizeof(o->tmp))
		return refuse(o, "", ENAMETOOLONG, err, errlen);
	fd = mkostemp(o->tmp, O_CLOEXEC);
	if (fd < 0)
		return refuse(o, old ? "cannot create a temporary file "
				  "beside it" : "cannot create it", errno,
			      err, errlen);
	take_mode(fd, old);
	if (open_stream(o, fd) < 0) {
		int e = errno;

		unlink(o->tmp);
		return refuse(o, "", e, err, errlen);
	}
	o->replace = true;
	return 0;
}

/* -l, -p: FILE itself, truncated, so that a reader sees each line as
 * it comes (tail -f). */
static int open_live(struct hs_outfile *o, char *err, size_t errlen)
{
	int fd = open(o->path, O_WRONLY | O_CREAT | O_TRUNC | O_NOCTTY |
				       O_CLOEXEC, 0666);

	if (fd < 0 || open_stream(o, fd) < 0)
		return refuse(o, "", errno, err, errlen);
	return 0;
}

/* Every write ends at a line's end: no reader sees half a line. */
static int line_buffered(struct hs_outfile *o, int r)
{
	if (r == 0)
		setvbuf(o->fp, NULL, _IOLBF, 0);
	return r;
}

static int open_file(struct hs_outfile *o, const char *path, bool live,
		     char *err, size_t errlen)
{
	struct stat st;
	int r;

	memset(o, 0, sizeof(*o));
	o->fd = -1;
	o->path = path;
	if (!path) {
		if (open_stream(o, STDOUT_FILENO) < 0) {
			snprintf(err, errlen, "standard output: %s",
				 strerror(errno));
			return -1;
		}
		return 0;
	}
	hs_sanitize(path, o->name, sizeof(o->name));
	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return refuse(o, "", EISDIR, err, errlen);
		if (is_stdout(&st) || !S_ISREG(st.st_mode))
			return open_direct(o, &st, err, errlen);
		if (access(path, W_OK) < 0 || !realpath(path, o->target))
			return refuse(o, "", errno, err, errlen);
		if (live)
			return open_live(o, err, errlen);
		return open_replacement(o, &st, err, errlen);
	}
	if (errno != ENOENT)
		return refuse(o, "", errno, err, errlen);
	r = follow_links(path, o->target, sizeof(o->target));
	if (r < 0)
		return refuse(o, "", -r, err, errlen);
	if (live)
		return open_live(o, err, errlen);
	return open_replacement(o, NULL, err, errlen);
}

int hs_outfile_open(struct hs_outfile *o, const char *path, bool live,
		    char *err, size_t errlen)
{
	int r = open_file(o, path, live, err, errlen);

	return live ? line_buffered(o, r) : r;
}

static int flush_all(struct hs_outfile *o)
{
	if (fflush(o->fp) != 0 || ferror(o->fp))
		return -1;
	if (o->replace && fsync(o->fd) != 0) {
		o->write_errno = errno;
		return -1;
	}
	return 0;
}

int hs_outfile_commit(struct hs_outfile *o, char *err, size_t errlen)
{
	const char *name = o->path ? o->name : "standard output";
	int r = flush_all(o);

	if (fclose(o->fp) != 0)
		r = -1;
	o->fp = NULL;
	if (r == 0 && o->replace && rename(o->tmp, o->target) != 0) {
		o->write_errno = errno;
		r = -1;
	}
	if (r < 0) {
		snprintf(err, errlen, "cannot write to %s: %s", name,
			 strerror(o->write_errno ? o->write_errno : EIO));
		hs_outfile_abort(o);
		return -1;
	}
	o->replace = false;
	return 0;
}

void hs_outfile_abort(struct hs_outfile *o)
{
	if (o->fp)
		fclose(o->fp);
	o->fp = NULL;
	if (o->replace)
		unlink(o->tmp);
	o->replace = false;
}
