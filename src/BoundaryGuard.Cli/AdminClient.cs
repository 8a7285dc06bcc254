using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using BoundaryGuard.Core;

namespace BoundaryGuard.Cli;

/// <summary>
/// The service's admin API over HTTP with IT's bearer token, its answers turned into the CLI's exit codes: what the
/// caller can fix (the service's 400 detail, a refused token, an unknown calendar) is a <see cref="PolicyException"/>
/// (exit 2, one line); the service down or failing is any other exception (exit 1, one line).
/// </summary>
internal sealed class AdminClient : IDisposable
{
    /// <summary>Where scripts keep the token: an option would leave it in the shell's history and in <c>ps</c>.</summary>
    public const string TokenVariable = "BOUNDARYGUARD_TOKEN";

    public static readonly string[] Options = ["--service", "--token"];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        // A missing or null field is an answer this CLI does not understand, not a null to trip over later.
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    private readonly HttpClient http;
    private readonly string tokenSource;

    private AdminClient(Uri service, string token, string tokenSource)
    {
        // No redirects followed: HttpClient would drop the token on the way and turn a POST into a GET.
        http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = service };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        this.tokenSource = tokenSource;
    }

    /// <summary>The client for <c>--service</c>, with the token from <c>--token</c> or else <paramref name="tokenVariable"/>.</summary>
    public static AdminClient Connect(Arguments args, string? tokenVariable)
    {
        var service = ServiceUrl(args.Required("--service"));
        var (token, source) = args.Optional("--token") is { } option ? (option, "--token")
            : !string.IsNullOrWhiteSpace(tokenVariable) ? (tokenVariable, TokenVariable)
            : throw new PolicyException($"no token: set {TokenVariable} to an it-admin token for the service (or give --token)");
        // Trimmed: a token read from a file often ends with a newline.
        token = token.Trim();
        return token.Length > 0 && !token.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))
            ? new AdminClient(service, token, source)
            : throw new PolicyException($"{source}: not a bearer token (empty, or spaces or control characters inside)");
    }

    /// <summary><c>--service</c>'s URL, ending in a slash: the service may sit under a path (https://it.example.edu/boundaryguard), and its paths are relative to it.</summary>
    public static Uri ServiceUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var service) && service.Scheme is "http" or "https"
            ? new UriBuilder(service) { Path = service.AbsolutePath.TrimEnd('/') + "/", Query = null, Fragment = null }.Uri
            : throw new PolicyException($"--service: '{text}' is not an http or https URL");

    /// <summary>Sends a request to <paramref name="path"/> (relative to the service) and reads the JSON answer.</summary>
    /// <param name="notFoundField">The option to name when the service says what the path points at does not exist.</param>
    public async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? content, string notFoundField)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new HttpRequestException($"cannot reach the service at {http.BaseAddress}: {TabText.Field(e.GetBaseException().Message)}", e);
        }
        catch (TaskCanceledException e)
        {
            throw new HttpRequestException($"the service at {http.BaseAddress} did not answer within {http.Timeout.TotalSeconds:0} s", e);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw await RefusalAsync(response, notFoundField).ConfigureAwait(false);
            }

            try
            {
                return (await response.Content.ReadFromJsonAsync<T>(Json).ConfigureAwait(false))!;
            }
            catch (JsonException e)
            {
                throw new HttpRequestException($"{request.RequestUri} answered with JSON this CLI does not understand ({TabText.Field(e.Message)}): is the CLI as new as the service?", e);
            }
        }
    }

    private async Task<Exception> RefusalAsync(HttpResponseMessage response, string notFoundField)
    {
        var detail = await DetailAsync(response).ConfigureAwait(false);
        var status = $"{(int)response.StatusCode} {response.ReasonPhrase}";
        return response.StatusCode switch
        {
            >= HttpStatusCode.MultipleChoices and < HttpStatusCode.BadRequest => new PolicyException(
                $"--service: {response.RequestMessage?.RequestUri} redirects to {response.Headers.Location} ({status}): give --service the address it redirects to"),
            HttpStatusCode.BadRequest => new PolicyException(detail ?? $"the service refused the request ({status})"),
            HttpStatusCode.Unauthorized => new PolicyException(
                $"the service refused the token from {tokenSource} ({status}): it is malformed, expired or not issued for this service"),
            HttpStatusCode.Forbidden => new PolicyException($"the token from {tokenSource} lacks the it-admin role ({status})"),
            HttpStatusCode.NotFound when detail is not null => new PolicyException($"{notFoundField}: {detail}"),
            HttpStatusCode.NotFound => new PolicyException(
                $"--service: {response.RequestMessage?.RequestUri} does not exist ({status}): is {http.BaseAddress} a BoundaryGuard service?"),
            _ => new HttpRequestException($"the service answered {status}{(detail is null ? string.Empty : $": {detail}")}", null, response.StatusCode),
        };
    }

    /// <summary>The ProblemDetails' <c>detail</c> on one line, or null when the answer has none.</summary>
    private static async Task<string?> DetailAsync(HttpResponseMessage response)
    {
        try
        {
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync().ConfigureAwait(false));
            return problem.RootElement.ValueKind == JsonValueKind.Object
                && problem.RootElement.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String
                ? TabText.Field(detail.GetString()!)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public void Dispose() => http.Dispose();
}
