using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BoundaryGuard.GraphSandbox.Hosting;

internal static class HostingServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="SandboxOptions"/> from configuration, or takes <paramref name="given"/> as the whole truth (the
    /// in-process start: a test's options must not be changed by an environment variable on the machine).
    /// Validated at start-up, nested objects included.
    /// </summary>
    public static IServiceCollection AddSandboxOptions(this IServiceCollection services, SandboxOptions? given)
    {
        var builder = services.AddOptions<SandboxOptions>();
        if (given is null)
        {
            builder.BindConfiguration(SandboxOptions.Section);
        }
        else
        {
            builder.Configure(given.CopyTo);
        }

        builder.ValidateOnStart();
        services.AddSingleton<IValidateOptions<SandboxOptions>, SandboxOptionsValidator>();
        return services;
    }

    /// <summary>One clock for everything time-dependent; a test passes a FakeTimeProvider.</summary>
    public static IServiceCollection AddSandboxClock(this IServiceCollection services, TimeProvider? clock)
    {
        if (clock is null)
        {
            services.TryAddSingleton(TimeProvider.System);
        }
        else
        {
            services.AddSingleton(clock);
        }

        return services;
    }

    /// <summary>
    /// ASP.NET Core logs every request line at Information, and a path such as <c>/v1.0/users/jane@med.example.edu</c>
    /// carries an address. Mail addresses, subjects and bodies are never logged here, so framework logs stop at Warning.
    /// </summary>
    public static ILoggingBuilder AddSandboxLogFilters(this ILoggingBuilder logging)
    {
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
        return logging;
    }
}

/// <summary>DataAnnotations on the options and on the objects they hold (ValidateDataAnnotations stops at the top).</summary>
internal sealed class SandboxOptionsValidator : IValidateOptions<SandboxOptions>
{
    public ValidateOptionsResult Validate(string? name, SandboxOptions options)
    {
        var failures = new List<string>();
        Check(options, "Sandbox", failures);
        Check(options.Limits, "Sandbox:Limits", failures);
        for (var i = 0; i < options.Clients.Count; i++)
        {
            Check(options.Clients[i], $"Sandbox:Clients:{i}", failures);
        }

        failures.AddRange(options.Faults.Validate().Select(problem => $"Sandbox:Faults: {problem}"));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(object instance, string path, List<string> failures)
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(instance, new ValidationContext(instance), results, validateAllProperties: true))
        {
            failures.AddRange(results.Select(result => $"{path}: {result.ErrorMessage}"));
        }
    }
}
