using System.Security.Claims;
using BoundaryGuard.GraphSandbox.Seed;
using BoundaryGuard.Service.Auth;
using BoundaryGuard.Service.Holds;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BoundaryGuard.Demo;

/// <summary>
/// The demo's sign-in: pick one of the demo institution's people and be them, with the sign-in cookie a real Entra
/// sign-in would give (the same claims: <c>preferred_username</c>, <c>name</c>, <c>oid</c>, <c>roles</c>). Chairs
/// (job title "Chair") get the role <c>chair</c>, everyone else <c>faculty</c>; one more identity, not in the
/// directory, is the institution's IT administrator. Its cookies carry <see cref="DemoIdentity.ProviderClaim"/>, so the
/// pages can say so, sign-out does not go to Entra, and the service (which has no such sign-in) refuses them.
/// </summary>
public static class DemoSignIn
{
    /// <summary>The demo's sign-in, mapped by the service's <see cref="SignInApi"/> under <c>/auth/demo</c>.</summary>
    public static IServiceCollection AddDemoSignIn(this IServiceCollection services) =>
        services.AddSingleton(new SignInMethod(DemoIdentity.Method, Map));

    public static DemoIdentityCard ItAdmin { get; } =
        new($"it.admin@{DemoInstitution.Domain}", "Irene Tran (IT administrator)", null, "IT Administrator", [Caller.ItAdmin], "5e1d0000-0000-4000-8000-000000009101");

    /// <summary>Everyone the demo lets you be: the seeded people of each department, then IT.</summary>
    public static IReadOnlyList<DemoIdentityCard> People { get; } =
    [
        .. DemoInstitution.All
            .Where(p => p.Department is not null)
            .Select(p => new DemoIdentityCard(p.UserPrincipalName, p.DisplayName, p.Department, p.JobTitle,
                [string.Equals(p.JobTitle, "Chair", StringComparison.OrdinalIgnoreCase) ? Caller.Chair : Caller.Faculty], p.Id)),
        ItAdmin,
    ];

    private static void Map(RouteGroupBuilder auth)
    {
        auth.MapGet("/demo/people", () => TypedResults.Ok(People));
        auth.MapPost("/demo/signin", SignInAsync);
    }

    private static async Task<NoContent> SignInAsync(DemoSignInRequest request, HttpContext context)
    {
        var person = People.FirstOrDefault(p => string.Equals(p.Mailbox, request?.Mailbox?.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new HoldException(HoldError.Invalid, "mailbox must be one of the demo people (GET /auth/demo/people).");
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, Principal(person)).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    internal static ClaimsPrincipal Principal(DemoIdentityCard person)
    {
        List<Claim> claims =
        [
            new("preferred_username", person.Mailbox),
            new("name", person.Name),
            new("oid", person.ObjectId),
            new(DemoIdentity.ProviderClaim, DemoIdentity.Provider),
            .. person.Roles.Select(role => new Claim("roles", role)),
        ];
        return new ClaimsPrincipal(new ClaimsIdentity(claims, DemoIdentity.Provider, "name", "roles"));
    }
}

/// <param name="Department">Null for IT, which is not in the directory.</param>
public sealed record DemoIdentityCard(string Mailbox, string Name, string? Department, string? JobTitle, IReadOnlyList<string> Roles, string ObjectId);

public sealed record DemoSignInRequest(string? Mailbox);
