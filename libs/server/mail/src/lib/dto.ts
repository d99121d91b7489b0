import { IsIn, IsString, IsUUID, Matches } from 'class-validator';
import { UNSUBSCRIBE_TOPICS, type UnsubscribeTopic } from '@rehearse/shared/contracts';

/** A link that stops one kind of e-mail for one person (`UnsubscribeLinks`): who, which, and its signature. */
export class UnsubscribeQuery {
  /**
   * the person the e-mail was sent to
   * @example '8e67bb26-b358-42ed-a0fe-552ed6fb832f'
   */
  @IsUUID('all', { message: 'u must be a UUID' })
  u!: string;

  /**
   * the kind of e-mail to stop
   * @example 'feedback_published'
   */
  @IsIn(UNSUBSCRIBE_TOPICS)
  t!: UnsubscribeTopic;

  /**
   * the link's signature
   * @example '3f1c0b9e6d2a4c8b7e5f1a0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b'
   */
  @IsString()
  @Matches(/^[0-9a-f]{64}$/, { message: 's must be the link’s signature (64 hexadecimal digits)' })
  s!: string;
}
