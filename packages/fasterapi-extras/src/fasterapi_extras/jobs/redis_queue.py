"""SAQ's Redis queue with a sweep that does not abort a job a worker has just dequeued.

SAQ's worker moves a job from the queued list to the active list (``BLMOVE``), then marks it
``active`` in a second command. Its sweep, which runs when a worker starts and then every
``timers["sweep"]`` seconds, aborts any job of the active list not marked ``active``: a job
dequeued in between (every job waiting when a worker starts is) was aborted as "swept" while
it ran. Here such a job is swept only when a later sweep still finds it unmarked, which is what
a worker that died between the two commands leaves behind.
"""

from __future__ import annotations

import contextlib
from typing import Any

from fasterapi_extras._optional import require

__all__ = ["make_redis_queue"]

# the sweep lock, then (job id, job) for every job of the active list: one atomic read
_READ_ACTIVE = """
local id_jobs = {}
if redis.call('EXISTS', KEYS[1]) == 0 then
    redis.call('SETEX', KEYS[1], ARGV[1], 1)
    for i, v in ipairs(redis.call('LRANGE', KEYS[2], 0, -1)) do
        id_jobs[i] = {v, redis.call('GET', v)}
    end
end
return id_jobs
"""


def make_redis_queue(client: Any, *, name: str, dump: Any, load: Any) -> Any:
    """A ``saq.queue.redis.RedisQueue`` (subclass) on ``client`` with the sweep above."""
    redis_module: Any = require("saq.queue.redis", "jobs")
    saq: Any = require("saq", "jobs")
    status = saq.Status

    class SweepSafeRedisQueue(redis_module.RedisQueue):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.unmarked_seen: set[bytes] = set()
            self.read_active: Any = None

        async def sweep(self, lock: int = 60, abort: float = 5.0) -> list[str]:
            if self.read_active is None:
                self.read_active = self.redis.register_script(_READ_ACTIVE)
            id_jobs = await self.read_active(
                keys=[self._sweep, self._active], args=[lock], client=self.redis
            )
            if not id_jobs:
                return []  # another worker holds the sweep lock, or nothing is active
            unmarked_before, self.unmarked_seen = self.unmarked_seen, set()
            swept: list[bytes] = []
            for job_id, payload in id_jobs:
                job = self.deserialize(payload)
                if job is None:  # its record expired: forget it
                    swept.append(job_id)
                    async with self.redis.pipeline(transaction=True) as pipe:
                        pipe.lrem(self._active, 0, job_id).zrem(self._incomplete, job_id)
                        await pipe.execute()
                    continue
                unmarked = job.status in (status.NEW, status.QUEUED)
                if unmarked and job_id not in unmarked_before:
                    self.unmarked_seen.add(job_id)  # perhaps being marked right now: next time
                    continue
                if job.status == status.ACTIVE and not job.stuck:
                    continue
                swept.append(job_id)
                await self.abort(job, error=self.swept_error_message)
                with contextlib.suppress(TimeoutError):  # not aborted in time: swept anyway
                    await job.refresh(abort)
                if job.retryable:
                    await self.retry(job, error=self.swept_error_message)
                else:
                    await self.finish(job, status.ABORTED, error=self.swept_error_message)
            return [job_id.decode() for job_id in swept]

    return SweepSafeRedisQueue(client, name=name, dump=dump, load=load)
