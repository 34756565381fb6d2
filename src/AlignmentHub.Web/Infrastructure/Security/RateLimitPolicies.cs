namespace AlignmentHub.Web.Infrastructure.Security;

public static class RateLimitPolicies
{
    public const string SignIn = "sign-in";
}
