namespace BoundaryGuard.Service.Auth;

/// <summary>
/// A way of signing in to the pages that a host adds to Entra ID's, mapped under <c>/auth</c> by
/// <see cref="SignInApi"/> and offered on the sign-in page by its <see cref="Name"/>. The service registers none; the
/// demo host registers its pick-a-person sign-in (<see cref="DemoIdentity.Method"/>).
/// </summary>
public sealed record SignInMethod(string Name, Action<RouteGroupBuilder> Map);

/// <summary>
/// How an identity the demo host made is recognised, so that the service can refuse it: a sign-in cookie whose
/// principal carries <see cref="ProviderClaim"/> = <see cref="Provider"/> opens only a host that registered the
/// <see cref="Method"/> sign-in, and the service refuses to start with settings that trust tokens from
/// <see cref="Issuer"/>, the demo's issuer for <c>dotnet user-jwts</c>.
/// </summary>
public static class DemoIdentity
{
    public const string Method = "demo";

    public const string ProviderClaim = "idp";

    public const string Provider = "boundaryguard-demo";

    public const string Issuer = "boundaryguard-demo";

    internal static bool Accepted(IServiceProvider services) =>
        services.GetServices<SignInMethod>().Any(m => m.Name == Method);
}
