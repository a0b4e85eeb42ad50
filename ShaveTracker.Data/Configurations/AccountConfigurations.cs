using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ShaveTracker.Data.Entities;

namespace ShaveTracker.Data.Configurations;

internal sealed class LocalAccountConfiguration : IEntityTypeConfiguration<LocalAccount>
{
    public void Configure(EntityTypeBuilder<LocalAccount> b)
    {
        b.ToTable("local_accounts");
        b.HasKey(x => x.UserId);
        b.Property(x => x.UserName).HasMaxLength(LocalAccount.UserNameMaxLength).IsRequired();
        b.Property(x => x.PasswordHash).HasMaxLength(512).IsRequired();
        b.HasIndex(x => x.UserName).IsUnique();
        b.HasOne(x => x.User).WithOne().HasForeignKey<LocalAccount>(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class UserRoleConfiguration : IEntityTypeConfiguration<UserRole>
{
    public void Configure(EntityTypeBuilder<UserRole> b)
    {
        b.ToTable("user_roles");
        b.HasKey(x => new { x.UserId, x.Role });
        b.Property(x => x.Role).HasMaxLength(64).IsRequired();
        b.HasOne(x => x.User).WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class UserSignInConfiguration : IEntityTypeConfiguration<UserSignIn>
{
    public void Configure(EntityTypeBuilder<UserSignIn> b)
    {
        b.ToTable("user_sign_ins");
        b.HasKey(x => x.UserId);
        b.HasOne(x => x.User).WithOne().HasForeignKey<UserSignIn>(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class UserSessionConfiguration : IEntityTypeConfiguration<UserSession>
{
    public void Configure(EntityTypeBuilder<UserSession> b)
    {
        b.ToTable("user_sessions");
        b.Property(x => x.Id).ValueGeneratedNever();
        b.HasIndex(x => x.UserId);
        b.HasOne(x => x.User).WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SignInThrottleConfiguration : IEntityTypeConfiguration<SignInThrottle>
{
    public void Configure(EntityTypeBuilder<SignInThrottle> b)
    {
        b.ToTable("sign_in_throttles");
        b.HasKey(x => new { x.UserId, x.Client });
        b.Property(x => x.Client).HasMaxLength(64).IsRequired();
        b.HasOne(x => x.User).WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> b)
    {
        b.ToTable("api_keys");
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Name).HasMaxLength(ApiKey.NameMaxLength).IsRequired();
        b.Property(x => x.KeyPrefix).HasMaxLength(16).IsRequired();
        b.Property(x => x.KeyHash).HasMaxLength(64).IsRequired();
        b.HasIndex(x => x.KeyHash).IsUnique();
    }
}
