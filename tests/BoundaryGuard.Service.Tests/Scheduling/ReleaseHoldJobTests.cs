using BoundaryGuard.Service.Scheduling;
using Moq;
using Quartz;

namespace BoundaryGuard.Service.Tests.Scheduling;

public sealed class ReleaseHoldJobTests
{
    private static readonly Guid Hold = Guid.Parse("6f1c2a8e-3d4b-4c5a-9e7f-0a1b2c3d4e5f");

    [Test]
    public async Task Execute_HoldInTrigger_ReleasesThatHoldOnce()
    {
        var releaser = new Mock<IHoldReleaser>();

        await new ReleaseHoldJob(releaser.Object).Execute(Context(), CancellationToken.None);

        releaser.Verify(r => r.ReleaseAsync(Hold, It.IsAny<CancellationToken>()), Times.Once);
        releaser.VerifyNoOtherCalls();
    }

    [Test]
    public async Task Execute_ReleaserFails_JobExecutionExceptionWithoutRefire()
    {
        var failure = new InvalidOperationException("graph down");
        var releaser = new Mock<IHoldReleaser>();
        releaser.Setup(r => r.ReleaseAsync(Hold, It.IsAny<CancellationToken>())).ThrowsAsync(failure);

        await Assert.ThatAsync(
            async () => await new ReleaseHoldJob(releaser.Object).Execute(Context(), CancellationToken.None),
            Throws.TypeOf<JobExecutionException>()
                .With.Property(nameof(JobExecutionException.RefireImmediately)).False
                .And.InnerException.SameAs(failure));
    }

    private static IJobExecutionContext Context()
    {
        var context = new Mock<IJobExecutionContext>();
        context.SetupGet(c => c.MergedJobDataMap).Returns(new JobDataMap { [ReleaseHoldJob.HoldIdKey] = Hold.ToString("D") });
        return context.Object;
    }
}
