namespace AlignmentHub.Domain.Common;

/// <summary>Field lengths shared by the entities, the EF configuration and the validators.</summary>
public static class Limits
{
    public const int Name = 120;
    public const int Title = 200;
    public const int ShortText = 500;
    public const int LongText = 4000;
    public const int VisionText = 20_000;
    public const int Reason = 500;
    public const int Url = 2000;
    public const int Unit = 20;
    public const int UserId = 450;
    public const int UserName = 256;
}
