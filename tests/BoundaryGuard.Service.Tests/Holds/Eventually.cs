namespace BoundaryGuard.Service.Tests.Holds;

/// <summary>Waits in real time for work the service does on its own threads (Quartz's workers, background services).</summary>
internal static class Eventually
{
    public static async Task<T> ValueAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, int seconds = 30)
    {
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            if (deadline.Elapsed > TimeSpan.FromSeconds(seconds))
            {
                Assert.Fail($"Timed out after {seconds} s waiting for {what}; last value: {value}");
            }

            await Task.Delay(20);
        }
    }

    public static Task TrueAsync(Func<Task<bool>> condition, string what, int seconds = 30) =>
        ValueAsync(condition, v => v, what, seconds);
}
