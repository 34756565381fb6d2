using System.ComponentModel.DataAnnotations;
using AlignmentHub.Infrastructure.Identity;
using AlignmentHub.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace AlignmentHub.Web.Features.Account;

[Route("account")]
public sealed class AccountController(SignInManager<ApplicationUser> signInManager, UserManager<ApplicationUser> userManager, SignInThrottle throttle, ILogger<AccountController> logger) : Controller
{
    private const string SignInFailed = "The e-mail address or password is not right, or the account is locked. Try again in a few minutes.";

    [HttpGet("login")]
    [AllowAnonymous]
    public IActionResult Login(string? returnUrl = null)
    {
        if (User.Identity?.IsAuthenticated == true)
        {
            return LocalRedirect(SafeReturnUrl(returnUrl));
        }

        // The raw query value would otherwise win over the cleaned one when the form is rendered.
        ModelState.Clear();
        return View(new LoginViewModel { ReturnUrl = SafeReturnUrl(returnUrl) });
    }

    [HttpPost("login")]
    [AllowAnonymous]
    [EnableRateLimiting(RateLimitPolicies.SignIn)]
    public async Task<IActionResult> Login(LoginViewModel model)
    {
        model.ReturnUrl = SafeReturnUrl(model.ReturnUrl);

        // Per account, whatever the address (the middleware has already counted per address).
        if (!throttle.TryAcquire(model.Email, out var retryAfter))
        {
            logger.LogWarning("Sign-in rate limit reached for {UserName}", LogName(model.Email));
            Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return StatusCode(StatusCodes.Status429TooManyRequests);
        }

        if (!ModelState.IsValid)
        {
            logger.LogWarning("Failed sign-in for {UserName}: {Reason}", LogName(model.Email), "form not valid");
            model.Password = string.Empty;
            return View(model);
        }

        var user = await userManager.FindByEmailAsync(model.Email.Trim());
        if (user is not null && !user.IsDisabled)
        {
            var result = await signInManager.PasswordSignInAsync(user, model.Password, model.RememberMe, lockoutOnFailure: true);
            if (result.Succeeded)
            {
                logger.LogInformation("User {UserId} signed in", user.Id);
                return LocalRedirect(model.ReturnUrl);
            }

            logger.LogWarning("Failed sign-in for {UserName}: {Reason} (user {UserId})", LogName(model.Email), result.IsLockedOut ? "locked out" : "wrong password", user.Id);
        }
        else
        {
            // Same work and the same answer for unknown accounts, so responses do not reveal which e-mails exist.
            userManager.PasswordHasher.HashPassword(new ApplicationUser(), model.Password);
            logger.LogWarning("Failed sign-in for {UserName}: {Reason}", LogName(model.Email), user is null ? "unknown account" : "account disabled");
        }

        ModelState.AddModelError(string.Empty, SignInFailed);
        model.Password = string.Empty;
        return View(model);
    }

    [HttpPost("logout")]
    public async Task<IActionResult> Logout()
    {
        if (await userManager.GetUserAsync(User) is { } user)
        {
            // A new security stamp invalidates copies of the old cookie at their next validation.
            await userManager.UpdateSecurityStampAsync(user);
        }

        await signInManager.SignOutAsync();
        TempData["flash"] = "success|You have signed out.";
        return RedirectToAction(nameof(Login));
    }

    [HttpGet("access-denied")]
    public IActionResult AccessDenied()
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return View("~/Features/Errors/403.cshtml");
    }

    // The name as typed, cut short; never the password. Line breaks are escaped for every log event (LogInjectionGuard).
    private static string LogName(string? email) => email is null ? string.Empty : email.Length > 100 ? email[..100] + "…" : email;

    private string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && Url.IsLocalUrl(returnUrl) && !returnUrl.StartsWith("/account/log", StringComparison.OrdinalIgnoreCase) ? returnUrl : "/";
}

public sealed class LoginViewModel
{
    [Required(ErrorMessage = "Enter your e-mail address.")]
    [EmailAddress(ErrorMessage = "Enter an e-mail address such as name@example.com.")]
    [StringLength(256, ErrorMessage = "The e-mail address is too long.")]
    [Display(Name = "E-mail")]
    public string Email { get; set; } = string.Empty;

    [Required(ErrorMessage = "Enter your password.")]
    [StringLength(1024, ErrorMessage = "The password is too long.")]
    [DataType(DataType.Password)]
    public string Password { get; set; } = string.Empty;

    [Display(Name = "Keep me signed in on this device")]
    public bool RememberMe { get; set; }

    public string ReturnUrl { get; set; } = "/";
}
