using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace Example.Notifications
{
    public interface INotificationSender
    {
        Task SendAsync(string recipient, string message);
    }

    public class NotificationService
    {
        private readonly INotificationSender _sender;
        private readonly List<string> _sent = new();

        public NotificationService(INotificationSender sender)
        {
            _sender = sender;
        }

        public async Task NotifyAsync(string recipient, string message)
        {
            await _sender.SendAsync(recipient, message);
            _sent.Add(recipient);
        }

        public Task NotifyAllAsync(IEnumerable<string> recipients, string message)
        {
            throw new NotImplementedException();
        }

        public int CountSent() => throw new NotImplementedException();

        public void Reset()
        {
            // TODO: clear the sent list and the retry queue
        }
    }
}
