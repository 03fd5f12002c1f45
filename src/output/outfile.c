#include "output/outfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int hs_outfile_open(struct hs_outfile *o, const char *path, char *err,
		    size_t errlen)
{
	mode_t mask;
	int fd;

	memset(o, 0, sizeof(*o));
	o->path = path;
	if (!path) {
		o->fp = stdout;
		return 0;
	}
	if ((size_t)snprintf(o->tmp, sizeof(o->tmp), "%s.XXXXXX", path) >=
	    sizeof(o->tmp)) {
		snprintf(err, errlen, "--output: file name too long");
		return -1;
	}
	fd = mkstemp(o->tmp);
	if (fd < 0) {
		snprintf(err, errlen, "--output %s: cannot create it: %s",
			 path, strerror(errno));
		return -1;
	}
	/* mkstemp makes it private; give it the mode a new file would get */
	mask = umask(0);
	umask(mask);
	fchmod(fd, 0666 & ~mask);
	o->fp = fdopen(fd, "w");
	if (!o->fp) {
		snprintf(err, errlen, "--output %s: %s", path, strerror(errno));
		close(fd);
		unlink(o->tmp);
		return -1;
	}
	return 0;
}

static int flush_all(struct hs_outfile *o)
{
	if (fflush(o->fp) != 0 || ferror(o->fp))
		return -1;
	if (o->path && fsync(fileno(o->fp)) != 0)
		return -1;
	return 0;
}

int hs_outfile_commit(struct hs_outfile *o, char *err, size_t errlen)
{
	const char *name = o->path ? o->path : "standard output";

	errno = 0;

	if (flush_all(o) < 0) {
		snprintf(err, errlen, "cannot write to %s: %s", name,
			 strerror(errno ? errno : EIO));
		hs_outfile_abort(o);
		return -1;
	}
	if (!o->path)
		return 0;
	if (fclose(o->fp) != 0) {
		o->fp = NULL;
		snprintf(err, errlen, "cannot write to %s: %s", name,
			 strerror(errno));
		unlink(o->tmp);
		return -1;
	}
	o->fp = NULL;
	if (rename(o->tmp, o->path) != 0) {
		snprintf(err, errlen, "cannot write to %s: %s", name,
			 strerror(errno));
		unlink(o->tmp);
		return -1;
	}
	return 0;
}

void hs_outfile_abort(struct hs_outfile *o)
{
	if (!o->path)
		return;
	if (o->fp)
		fclose(o->fp);
	o->fp = NULL;
	unlink(o->tmp);
}
