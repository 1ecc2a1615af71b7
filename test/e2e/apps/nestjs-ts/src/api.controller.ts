import { Controller, Get, HttpCode, Param } from '@nestjs/common';

@Controller()
export class ApiController {
  @Get('orders/:orderId')
  order(@Param('orderId') orderId: string) {
    return { order: orderId };
  }

  @Get('unavailable')
  @HttpCode(503)
  unavailable() {
    return { status: 'maintenance' };
  }
}

@Controller('health')
export class HealthController {
  @Get()
  health() {
    return { ok: true };
  }
}
