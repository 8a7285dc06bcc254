using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BoundaryGuard.GraphSandbox.Protocol;

/// <summary>Writing Graph's JSON: its content type, its timestamp formats and its OData annotations.</summary>
internal static class GraphJson
{
    public const string ContentType = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

    private static readonly JsonSerializerOptions Options = new()
    {
        // Graph does not escape quotes or '<' in strings; matching it keeps bodies readable and byte-comparable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static async Task WriteAsync(HttpContext context, JsonNode body)
    {
        context.Response.ContentType = ContentType;
        AddRequestIds(context);
        await context.Response.WriteAsync(body.ToJsonString(Options), context.RequestAborted).ConfigureAwait(false);
    }

    public static IResult Ok(JsonNode body) => new GraphJsonResult(StatusCodes.Status200OK, body);

    /// <summary>One page of a collection, with <c>@odata.nextLink</c> ($skip/$top) while more remain.</summary>
    public static IResult Page(HttpContext context, string contextFragment, IEnumerable<JsonNode> page, int skip, int top, int total)
    {
        var body = new JsonObject
        {
            ["@odata.context"] = Context(context, contextFragment),
            ["value"] = new JsonArray([.. page]),
        };
        if (skip + top < total)
        {
            body["@odata.nextLink"] = Links.WithQuery(context, new Dictionary<string, string?>
            {
                ["$skip"] = (skip + top).ToString(CultureInfo.InvariantCulture),
                ["$top"] = top.ToString(CultureInfo.InvariantCulture),
            });
        }

        return Ok(body);
    }

    public static IResult Created(JsonNode body) => new GraphJsonResult(StatusCodes.Status201Created, body);

    public static IResult Empty(int statusCode) => new EmptyGraphResult(statusCode);

    /// <summary>Messages carry second precision, as Exchange returns them.</summary>
    public static string Seconds(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Events carry seven fractional digits (createdDateTime "2017-10-07T04:59:12.9698856Z").</summary>
    public static string Ticks(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>dateTimeTimeZone.dateTime: local, no offset, seven fractional digits.</summary>
    public static string Local(DateTime local) => local.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture);

    public static string Base(HttpContext context) => $"{context.Request.Scheme}://{context.Request.Host}";

    public static string Context(HttpContext context, string fragment) => $"{Base(context)}/v1.0/$metadata#{fragment}";

    public static string ETag(string changeKey) => $"W/\"{changeKey}\"";

    public static string RequestId(HttpContext context)
    {
        if (context.Items.TryGetValue("request-id", out var existing) && existing is string id)
        {
            return id;
        }

        var created = Guid.NewGuid().ToString();
        context.Items["request-id"] = created;
        return created;
    }

    /// <summary>Echoes the client's client-request-id (the Graph SDK sends one) or makes one, as Graph does.</summary>
    public static string ClientRequestId(HttpContext context)
    {
        var sent = context.Request.Headers["client-request-id"].ToString();
        return string.IsNullOrWhiteSpace(sent) ? RequestId(context) : sent;
    }

    public static void AddRequestIds(HttpContext context)
    {
        context.Response.Headers["request-id"] = RequestId(context);
        context.Response.Headers["client-request-id"] = ClientRequestId(context);
    }

    private sealed class GraphJsonResult(int statusCode, JsonNode body) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = statusCode;
            return WriteAsync(httpContext, body);
        }
    }

    private sealed class EmptyGraphResult(int statusCode) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = statusCode;
            httpContext.Response.ContentLength = 0;
            AddRequestIds(httpContext);
            return Task.CompletedTask;
        }
    }
}
