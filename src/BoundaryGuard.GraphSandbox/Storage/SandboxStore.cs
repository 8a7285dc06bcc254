using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using BoundaryGuard.GraphSandbox.Hosting;
using BoundaryGuard.GraphSandbox.Seed;
using Microsoft.Extensions.Options;

namespace BoundaryGuard.GraphSandbox.Storage;

/// <summary>
/// The one owner of <see cref="SandboxState"/>. Reads and writes run under one lock: the sandbox serves a handful of
/// test clients, so one lock buys simple, obviously consistent delta and move semantics at no cost that matters.
/// With a data file every write is saved before the lock is released, atomically (temp file + rename), so a crash
/// never leaves a half-written file and a restart sees every change a client was told about.
/// </summary>
internal sealed partial class SandboxStore
{
    private static readonly JsonSerializerOptions FileJson = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly Lock _gate = new();
    private readonly string? _dataFile;
    private readonly SandboxState _state;

    public SandboxStore(IOptions<SandboxOptions> options, TimeProvider clock, ILogger<SandboxStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _dataFile = string.IsNullOrWhiteSpace(options.Value.DataFile) ? null : Path.GetFullPath(options.Value.DataFile);
        if (_dataFile is not null && File.Exists(_dataFile))
        {
            _state = Load(_dataFile);
            LogLoaded(logger, _state.Users.Count);
            return;
        }

        _state = new SandboxState
        {
            Epoch = Guid.NewGuid().ToString("N"),
            TokenKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        };
        if (options.Value.SeedDemoInstitution)
        {
            DemoSeeder.Seed(_state, clock.GetUtcNow(), options.Value.AdditionalFaculty);
        }

        Save();
        LogCreated(logger, _state.Users.Count, _dataFile is not null);
    }

    public T Read<T>(Func<SandboxState, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        lock (_gate)
        {
            return read(_state);
        }
    }

    /// <summary>
    /// Runs <paramref name="write"/> under the lock and saves. Writers validate before they change anything, so an
    /// exception thrown by one leaves the state as it was and nothing is saved.
    /// </summary>
    public T Write<T>(Func<SandboxState, T> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        lock (_gate)
        {
            var result = write(_state);
            Save();
            return result;
        }
    }

    private void Save()
    {
        if (_dataFile is null)
        {
            return;
        }

        var directory = Path.GetDirectoryName(_dataFile)!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(_dataFile)}.{Guid.NewGuid():N}.tmp");
        using (var stream = File.Create(temp))
        {
            JsonSerializer.Serialize(stream, _state, FileJson);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, _dataFile, overwrite: true);
    }

    private static SandboxState Load(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            var state = JsonSerializer.Deserialize<SandboxState>(stream, FileJson);
            if (state is null || string.IsNullOrEmpty(state.Epoch) || string.IsNullOrEmpty(state.TokenKey))
            {
                throw new InvalidOperationException($"Sandbox data file {path} is not a sandbox state file.");
            }

            return state;
        }
        catch (JsonException ex)
        {
            // Refuse to start rather than reseed over it: the file may hold a test's or a demo's only copy of its data.
            throw new InvalidOperationException($"Sandbox data file {path} is not valid JSON (line {ex.LineNumber}); fix or delete it.", ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sandbox state loaded from the data file: {UserCount} users")]
    private static partial void LogLoaded(ILogger logger, int userCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sandbox state created: {UserCount} users, persisted: {Persisted}")]
    private static partial void LogCreated(ILogger logger, int userCount, bool persisted);
}
