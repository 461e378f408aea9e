/*
 * rusage: run one command and report what it cost.
 *
 *   rusage RESULT_FILE TIMEOUT_S CMD [ARG...]
 *
 * Writes "WALL_S USER_S MAXRSS_KB STATUS" to RESULT_FILE.  STATUS is the
 * exit code, 128+N when killed by signal N, 124 on timeout, 127 when CMD
 * could not be run.  wait4() reports the command itself, not this wrapper
 * (GNU time around `timeout` would also count `timeout`), and the monotonic
 * clock gives the millisecond wall times the single-element targets need.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t timed_out;
static pid_t child;

static void on_alarm(int sig)
{
	(void)sig;
	timed_out = 1;
	kill(child, SIGKILL);
}

static double seconds(const struct timespec *t)
{
	return (double)t->tv_sec + (double)t->tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct timespec t0, t1;
	struct rusage ru;
	int st, status;
	FILE *out;

	if (argc < 4) {
		fprintf(stderr, "usage: %s RESULT_FILE TIMEOUT_S CMD [ARG...]\n", argv[0]);
		return 2;
	}
	out = fopen(argv[1], "w");
	if (!out) {
		fprintf(stderr, "rusage: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	child = fork();
	if (child < 0) {
		fprintf(stderr, "rusage: fork: %s\n", strerror(errno));
		return 2;
	}
	if (child == 0) {
		execvp(argv[3], argv + 3);
		fprintf(stderr, "rusage: %s: %s\n", argv[3], strerror(errno));
		_exit(127);
	}
	sigaction(SIGALRM, &sa, NULL);
	alarm((unsigned)atoi(argv[2]));
	while (wait4(child, &st, 0, &ru) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "rusage: wait4: %s\n", strerror(errno));
			return 2;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	alarm(0);

	if (timed_out)
		status = 124;
	else if (WIFSIGNALED(st))
		status = 128 + WTERMSIG(st);
	else
		status = WEXITSTATUS(st);
	/* sys last: older result readers take the first four fields */
	fprintf(out, "%.6f %.6f %ld %d %.6f\n", seconds(&t1) - seconds(&t0),
		(double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6,
		ru.ru_maxrss, status,
		(double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6);
	return fclose(out) ? 2 : 0;
}
